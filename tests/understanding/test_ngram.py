"""The statistical second opinion: character n-gram Naive Bayes trained at start-up, and how it joins
the lexicon decision (intents.classify)."""
from datetime import datetime

import pytest

from chatbot.desk import load_desk
from chatbot.understanding import Analyzer, ngram
from chatbot.understanding.normalize import fold
from tests.understanding import labelled

NOW = datetime.fromisoformat("2026-05-12T10:00:00+02:00")


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer(load_desk())


def test_the_model_is_deterministic_and_knows_every_intent() -> None:
    from chatbot.understanding.intents import INTENTS
    from chatbot.understanding.ngram_data import TRAINING
    docs = [tuple(line.split("\t", 1)) for line in TRAINING.strip("\n").split("\n")]
    first, second = ngram.NaiveBayes(docs), ngram.NaiveBayes(docs)
    text = fold("mon serveur ne répond plus depuis ce matin")
    assert first.log_scores(text) == second.log_scores(text)
    assert set(first.classes) == set(INTENTS)
    posterior = first.posterior(text)
    assert abs(sum(posterior.values()) - 1.0) < 1e-9
    assert max(posterior, key=posterior.__getitem__) == "tech.outage"


def test_features_are_word_bounded_character_ngrams() -> None:
    grams = ngram.features("vps lent")
    assert {" vp", "vps", "ps ", " vps ", " le", "ent "} <= grams
    assert "s l" not in grams  # never across words


def test_the_model_never_trains_on_the_final_measurement() -> None:
    from chatbot.understanding import ngram_data
    assert "blind2" not in (ngram_data.__doc__ or "")


# Phrasings no lexicon lists (slang, typos, a word the lexicons lack) that the n-grams read.
@pytest.mark.parametrize(("text", "intent"), [
    ("mi servidor va lentisimo, tarda una eternidad en responder", "tech.performance"),
    ("el panel no me deja entrar, dice credenciales incorrectas", "account.access"),
    ("can u reset my pasword plz", "account.access"),
    ("les pages mettent une plombe a charger", "tech.performance"),
    ("la web carga fatal desde esta mañana", "tech.performance"),
])
def test_the_second_opinion_reads_what_the_lexicons_miss(analyzer: Analyzer, text: str, intent: str) -> None:
    assert analyzer.analyze(text, channel="chat", now=NOW).intent == intent


@pytest.mark.parametrize(("text", "intent"), [
    ("is your chat staffed on weekends?", "faq.contact"),                               # the chat rule
    ("pourriez-vous nous faire un devis pour 3 serveurs avec 64 Go de RAM ?", "other"),  # a purchase
    ("where do I create a support ticket?", "faq.ticket"),                              # a clear lexicon lead
])
def test_rules_and_clear_lexicon_decisions_are_not_overturned(analyzer: Analyzer, text: str, intent: str) -> None:
    assert analyzer.analyze(text, channel="chat", now=NOW).intent == intent


def test_a_thanks_reply_stays_a_thanks(analyzer: Analyzer) -> None:
    analysis = analyzer.analyze("Thanks, everything is back to normal.", channel="email", now=NOW,
                                subject="Re: Total outage – all services unreachable")
    assert analysis.intent == "thanks"


def _data_texts() -> list[tuple[str, str | None]]:
    return [(record["text"], record.get("subject")) for record in labelled.records()]


def test_the_scores_are_those_of_counting_each_ngram_once() -> None:
    """Per-word sums less the n-grams an earlier word brought: the definition's sums, to the bit."""
    import math
    model = ngram.model()
    for text, subject in _data_texts():
        folded = ngram.training_text(text, subject)
        known = {gram for gram in ngram.features(folded) if gram in model._packed}
        fields = model._fields.unpack(sum(model._packed[g] for g in known).to_bytes(model._fields.size, "little"))
        expected = [base + len(known) * unseen + field / ngram._SCALE
                    for base, unseen, field in zip(model._base, model._unseen, fields)]
        assert model._score_list(folded) == expected
        weights = [math.exp((s - max(expected)) / ngram.TEMPERATURE) for s in expected]
        assert list(model.posterior(folded).values()) == [w / sum(weights) for w in weights]


def test_the_model_is_asked_only_when_it_could_overturn_the_lexicons(
        analyzer: Analyzer, monkeypatch: pytest.MonkeyPatch) -> None:
    from chatbot.understanding import intents
    records = _data_texts()
    quick = [analyzer.analyze(text, channel="email", now=NOW, subject=subject) for text, subject in records]
    monkeypatch.setattr(intents, "_lexicon_firm", lambda scores, intent: False)
    assert [analyzer.analyze(text, channel="email", now=NOW, subject=subject) for text, subject in records] == quick
