"""The lexicon matcher: the "..." gap stays inside a clause, plurals of four-letter words match."""
from chatbot.understanding.lexicon import clause_ids, match, tokens
from chatbot.understanding.normalize import fold
from tests.understanding import labelled


def _found(text: str) -> set[str]:
    folded = fold(text)
    return {e.text for e in match(tokens(folded), clause_ids(folded))}


def test_a_gap_of_up_to_eight_words_inside_one_clause() -> None:
    assert "bricht ... ab" in _found("die Zahlung bricht jedes Mal mit einer Fehlermeldung ab")
    assert "wie schnell ... getauscht" in _found("wie schnell wird bei euch normalerweise eine defekte Platte getauscht?")


def test_a_gap_does_not_cross_punctuation() -> None:
    assert "bricht ... ab" not in _found("die Verbindung bricht. Ich melde mich ab")
    assert "where ... ticket" not in _found("where are you located? I opened a ticket")


def test_a_word_of_four_letters_or_more_matches_its_plural() -> None:
    assert "resolution time" in _found("what are your typical resolution times?")
    assert "faktur*" in _found("dwie faktury")  # stems were already open-ended


def test_clause_numbers_follow_punctuation() -> None:
    assert clause_ids(fold("a b, c d. e")) == [0, 0, 1, 1, 2]


def test_shorthand_is_spelled_out_and_spanish_pronouns_come_off_infinitives() -> None:
    from chatbot.understanding.lexicon import spell_out
    assert spell_out("parler a qqn, mdp oublie, pls") == "parler a quelqu'un, mot de passe oublie, please"
    assert spell_out("podeis montarme un raid y devolvernoslo", "es") == "podeis montar un raid y devolver"
    assert spell_out("montarme", "fr") == "montarme"  # Spanish only


def test_a_tilde_skips_up_to_two_words() -> None:
    assert "ne repond ~ plus" in _found("le site ne répond plus")
    assert "ne repond ~ plus" in _found("le site ne répond vraiment toujours plus")
    assert "ne repond ~ plus" not in _found("le site ne répond vraiment pas du tout plus")


def test_a_phrase_is_found_wherever_it_starts_and_once() -> None:
    folded = fold("Mon serveur ne répond plus. Le site ne répond plus non plus.")
    found = match(tokens(folded), clause_ids(folded))
    assert [pos for e, pos in found.items() if e.text == "ne repond ~ plus"] == [2]  # its first place


def _every_entry_tried(words: list[str], clause: list[int]) -> dict:
    """match as defined: every entry whose first word fits, tried on the rest of its pattern."""
    from chatbot.understanding.lexicon import _MIN_PREFIX, _index, _match_rest
    index, found = _index(), {}
    for i, word in enumerate(words):
        entries = list(index.exact.get(word, ()))
        for k in range(_MIN_PREFIX, len(word) + 1):
            entries.extend(index.prefix.get(word[:k], ()))
        for entry in entries:
            if entry not in found and _match_rest(index.rest[entry], 0, words, i + 1, clause):
                found[entry] = i
    return found


def test_the_second_word_shortcut_finds_what_trying_every_entry_finds() -> None:
    """match picks the entries a word starts by the word after it: the same entries, positions and order."""
    from chatbot.understanding.lexicon import spell_out
    for record in labelled.records():
        for text in (record["text"], record.get("subject") or "", record["text"].upper()):
            folded = spell_out(fold(text), "es")
            words, clause = tokens(folded), clause_ids(folded)
            expected = _every_entry_tried(words, clause)
            assert list(match(words, clause).items()) == list(expected.items())


def _texts() -> list[str]:
    texts = [text for record in labelled.records()
             for text in (record["text"], record.get("subject") or "", record["text"].upper())]
    return texts + ["slt, pb avec mon mdp", "qq1 dispo ? thx pls", "puedes cambiarmelo y devolvermelo?",
                    "a,b..c;(d) e!\nf?g", "", "...", "x"]


def test_tokens_and_clauses_in_one_scan_are_tokens_and_clause_ids() -> None:
    import re

    from chatbot.understanding.lexicon import tokens_and_clauses
    for text in _texts():
        folded = fold(text)
        by_clause = [n for n, part in enumerate(re.split(r"[,.;:!?()\n]+", folded)) for _ in tokens(part)]
        assert tokens_and_clauses(folded) == (tokens(folded), by_clause)


def test_spelling_out_is_skipped_only_when_it_would_change_nothing() -> None:
    from chatbot.understanding.lexicon import spell_out, spelled_out_tokens
    for text in _texts():
        for lang in ("fr", "es", None):
            spelled = spell_out(fold(text), lang)
            assert spelled_out_tokens(fold(text), lang) == (spelled, tokens(spelled), clause_ids(spelled))
