"""Remove quoted replies and signatures from an email body before it is understood.

Own code rather than a library: mail-parser-reply (the maintained multi-language option on PyPI)
has no "W dniu … napisał(a):" header (Gmail's Polish one), treats any line starting with "- word"
as the start of a signature (cutting a bulleted problem description), cuts at "Thanks,"/"Gracias,"
wherever it stands, and its `(.|\\s)*` patterns backtrack badly on long bodies. email-reply-parser
and talon know English (and a little more) only. This scanner is line-based and linear in the text.

Removed: everything from the first reply header on (in the five languages, plus Outlook-style
"From:/Sent:" blocks and "-----Original Message-----" separators), '>'-quoted lines, "Sent from my
iPhone" lines, and everything from a signature marker ("-- ") or a sign-off line ("Cordialement,",
"Pozdrawiam", "Un saludo,", "Mit freundlichen Grüßen", "Best regards") that follows some content.
A sign-off is not a request: "Gracias," under a refund request must not make the intent `thanks`.
"""
from __future__ import annotations

import re

from .normalize import fold

_WROTE = re.compile(
    r"^(?:le|on|am|el|en|w dniu|dnia|dne|il|op)\b.{0,200}?"
    r"(?:a ecrit|wrote|schrieb|escribio|napisal(?:\(a\)|a)?|pisze|ha scritto|schreef)\b[^:\n]{0,120}:\s*$"
    r"|^\S.{0,120}\b(?:a ecrit|wrote|schrieb|escribio|napisal(?:\(a\)|a)?)\s*:\s*$"
)
_SEPARATOR = re.compile(
    r"^-{2,}\s*(?:original message|message d'origine|message original|ursprungliche nachricht|"
    r"mensaje original|oryginalna wiadomosc|wiadomosc oryginalna|forwarded message|message transfere|"
    r"weitergeleitete nachricht|mensaje reenviado|przekazana wiadomosc)\s*-{2,}\s*$|^_{10,}\s*$"
)
_FROM_LINE = re.compile(r"^\*?(?:from|de|von|od|da)\s?\*?:\s*\S")
_SENT_LINE = re.compile(r"^\*?(?:sent|date|envoye|gesendet|datum|enviado|fecha|wyslano|data|objet|subject|"
                        r"betreff|asunto|temat|to|a|an|para|do)\s?\*?:\s*")
_SENT_FROM = re.compile(
    r"^(?:sent from my|get outlook for|envoye (?:de|depuis) mon|wyslane z (?:mojego|mojej)|"
    r"wyslano z (?:mojego|mojej)|enviado desde mi|von meinem \S+ gesendet|gesendet von meinem)\b")
_SIGN_OFF = re.compile(
    r"^(?:"
    # fr
    r"(?:bien |tres )?cordialement|bien a (?:vous|toi)|(?:sinceres |meilleures )?salutations|amicalement|"
    r"merci(?: beaucoup| bien)?(?: d'avance| par avance| pour votre (?:aide|retour|reponse))?|"
    r"bonne (?:journee|soiree|fin de journee)|a bientot|"
    # pl
    r"(?:serdecznie )?pozdrawiam(?: serdecznie)?|z powazaniem|pozdrowienia|(?:z gory )?dziekuje(?: i pozdrawiam)?|"
    r"dzieki|z wyrazami szacunku|"
    # es
    r"(?:un )?(?:cordial )?saludos?(?: cordiales)?|atentamente|cordialmente|(?:muchas )?gracias(?: de antemano| por adelantado)?|"
    r"un abrazo|quedo a la espera|"
    # de
    r"(?:mit )?(?:freundlichen|freundliche|besten|beste|viele|liebe|herzliche) grusse?n?|(?:viele )?grusse?|gruss|mfg|lg|"
    r"(?:vielen )?dank(?:e)?(?: im voraus| und gruss| und viele grusse)?|danke schon|"
    # en
    r"(?:best|kind|warm|many)? ?regards|best(?: wishes)?|cheers|(?:many )?thanks(?: in advance| again)?|"
    r"thank you(?: in advance)?|sincerely|yours(?: sincerely| truly)?|all the best"
    r")\s*[,.!:;]*\s*$"
)
_SIG_DASHES = re.compile(r"^(?:--|__)\s*$")


def _is_reply_header(lines: list[str], i: int, line: str, next_line: str) -> bool:
    """`line` and `next_line`: lines i and i + 1 folded ("" after the last line)."""
    if lines[i].lstrip(" ").startswith(">"):  # a quoted header ("> On ... wrote:"), read without its ">"
        line = fold(lines[i].lstrip("> "))
    if not line:
        return False
    # a header may wrap onto the next line ("On Mon, 3 Mar 2025, Jean <jean@" / "example.com> wrote:");
    # either way it ends with a colon (folded lines have no whitespace around them), a test far
    # cheaper than the pattern's scan
    if (line.endswith(":") and _WROTE.search(line)) or (
            i + 1 < len(lines) and len(line) < 200 and (next_line or line).endswith(":")
            and _WROTE.search(f"{line} {next_line}") and not _WROTE.search(next_line)):
        return True
    if _SEPARATOR.search(line):
        return True
    if _FROM_LINE.search(line):
        following = [fold(x) for x in lines[i + 1:i + 4]]
        return sum(1 for x in following if _SENT_LINE.search(x)) >= 1
    return False


def strip_quoted(text: str) -> str:
    """The customer's own new text: no quoted reply, no '>' lines, no signature."""
    return strip_quoted_and_fold(text)[0]


def strip_quoted_and_fold(text: str) -> tuple[str, str]:
    """strip_quoted(text), and normalize.fold of it, joined from the folds of the lines kept (which
    the header tests need anyway): fold makes a line break one space like any run of whitespace."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    kept_folded: list[str] = []
    has_content = False  # tracked, not recomputed per line: thousands of blank lines stay linear
    # Each line is folded once, as the next line of the one before (the header test reads both; fold
    # ignores the whitespace around a line, so that is the fold of the stripped line too).
    next_folded = fold(lines[0])
    for i, raw in enumerate(lines):
        stripped = raw.strip()
        folded, next_folded = next_folded, fold(lines[i + 1]) if i + 1 < len(lines) else ""
        if _is_reply_header(lines, i, folded, next_folded):
            break
        if stripped.startswith(">"):
            continue
        if _SENT_FROM.search(folded):
            continue
        if has_content and (_SIG_DASHES.match(raw.rstrip()) or raw == "-- " or _SIGN_OFF.match(folded)):
            break
        kept.append(raw.rstrip())
        if folded:
            kept_folded.append(folded)
        has_content = has_content or bool(stripped)
    return "\n".join(kept).strip(), " ".join(kept_folded)
