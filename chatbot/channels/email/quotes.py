"""What the customer actually wrote this time: quoted history and signatures removed.

Understanding must not read our own previous acknowledgement (quoted below a reply) as the customer's
words, nor classify a ticket by a signature's "Sales Manager, Billing department".
"""
from __future__ import annotations

import re

# A line that introduces the quoted previous message, in the five languages we serve and as the common
# clients write it (Gmail, Apple Mail, Thunderbird, Outlook).
_ATTRIBUTION = re.compile(
    r"""^\s*(
        on\s.{0,200}\swrote:?                          # en: On Mon, 1 Jan 2024, Ann <a@b> wrote:
      | le\s.{0,200}\sa\s[ée]crit\s?:?                  # fr: Le lun. 1 janv. 2024, Ann a écrit :
      | am\s.{0,200}\sschrieb\s.{0,100}:?               # de: Am 01.01.2024 um 10:00 schrieb Ann:
      | .{0,200}\sschrieb\s?:                           # de: Ann <a@b> schrieb:
      | el\s.{0,200}\sescribi[óo]:?                     # es: El lun, 1 ene 2024, Ann escribió:
      | w\sdniu\s.{0,200}\s(pisze|napisał|napisała)\s?:?  # pl: W dniu 1.01.2024 Ann pisze:
      | -{2,}\s*(original\smessage|message\sd'origine|ursprüngliche\snachricht|mensaje\soriginal
          |wiadomość\soryginalna|forwarded\smessage|message\stransféré)\s*-{2,}
      | _{20,}                                          # Outlook's rule above the quoted header block
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
# Outlook without a separator: "From: … / Sent: …" header block (localized labels).
_OUTLOOK_FROM = re.compile(r"^\s*\*?(from|de|von|od|de\s?:)\*?\s*:", re.IGNORECASE)
_OUTLOOK_SENT = re.compile(r"^\s*\*?(sent|envoyé|gesendet|wysłano|enviado|date)\*?\s*:", re.IGNORECASE)
_SIGNATURE = re.compile(r"^(-- ?|--|__+|—+)$")
_MOBILE = re.compile(
    r"^(sent from my \w+|envoyé de mon \w+|von meinem \w+ gesendet|wysłane z mojego \w+|enviado desde mi \w+)",
    re.IGNORECASE,
)


def strip_quoted(text: str) -> str:
    """The new part of a reply. Falls back to the full text when stripping would leave nothing,
    since a mail that is only a forwarded quote still says something."""
    lines = text.split("\n")
    kept: list[str] = []
    for i, line in enumerate(lines):
        stripped = line.strip()
        # Clients wrap long attributions ("On …, Ann <a@b>\nwrote:"), so try the line with the next.
        wrapped = f"{line} {lines[i + 1]}" if i + 1 < len(lines) else line
        if _ATTRIBUTION.match(line) or _ATTRIBUTION.match(wrapped):
            break
        if _SIGNATURE.match(stripped) or _MOBILE.match(stripped):
            break
        if _OUTLOOK_FROM.match(line) and any(_OUTLOOK_SENT.match(n) for n in lines[i + 1:i + 4]):
            break
        if stripped.startswith(">"):
            continue
        kept.append(line)
    result = "\n".join(kept).strip()
    return result or text.strip()
