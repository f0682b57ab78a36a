"""Typical resolution times (seed: "Typical resolution times" table) and how to tell which row a
question is about, in the five languages."""
from __future__ import annotations

import re

from chatbot.i18n import N_

KINDS = ("simple", "standard", "complex", "nonstandard")

TABLE_INTRO = N_("Typical resolution times:")
TABLE_ROWS = (
    N_("simple questions (billing, access): usually 10–30 minutes;"),
    N_("standard technical problems: 1–2 hours;"),
    N_("complex issues (diagnostics, troubleshooting): 2 hours or more, or the next day;"),
    N_("non-standard requests: it depends on the scope, and we give you an approximate timeframe in advance."),
)
# One row, when the question names a kind of problem.
ROW = {
    "simple": N_("Simple questions, such as billing or access, are usually resolved within 10–30 minutes."),
    "standard": N_("Standard technical problems usually take 1–2 hours to resolve."),
    "complex": N_("Complex issues that need diagnostics or troubleshooting take 2 hours or more, "
                  "sometimes until the next day."),
    "nonstandard": N_("For non-standard requests it depends on the scope: we give you an approximate "
                      "timeframe in advance."),
    # The seed's worked example 3: custom firewall rules for a VPS.
    "firewall": N_("Custom firewall rules are reviewed and applied by our system administrators, usually "
                   "within 10–20 minutes, depending on complexity and their availability."),
}
ESTIMATES = N_("These are estimates; we always let you know if something takes longer than expected.")

# For a ticket just opened: the same table, said of the customer's own request.
FOR_REQUEST = {
    "simple": N_("Requests of this kind are usually resolved within 10–30 minutes."),
    "standard": N_("Requests of this kind usually take 1–2 hours to resolve."),
    "complex": N_("Requests of this kind can take 2 hours or more, sometimes until the next day."),
    "nonstandard": N_("The time needed depends on the scope of your request; we will give you an "
                      "approximate timeframe in advance."),
}
# The same when the team is closed: the clock starts when it is back.
FOR_REQUEST_ONCE_BACK = {
    "simple": N_("Once the team is back, requests of this kind are usually resolved within 10–30 minutes."),
    "standard": N_("Once the team is back, requests of this kind usually take 1–2 hours to resolve."),
    "complex": N_("Once the team is back, requests of this kind can take 2 hours or more, sometimes "
                  "until the next day."),
    "nonstandard": FOR_REQUEST["nonstandard"],
}

# Most specific first: "custom firewall" is the firewall example, "slow server" is diagnostics,
# "server invoice" a billing question. Stems, not whole words: Polish, German and the others inflect
# and compound ("Rechenzentrumstechniker", "rozliczeniach").
_KIND_PATTERNS = (
    ("firewall", r"firewall|pare-feu|zapor|cortafuego"),
    ("nonstandard", (r"\bcustom(?!er)|non-?standard|non standard|special|spécia|personnalis|niestandard|"
                    r"specjaln|personaliz|no estándar|benutzerdefiniert|individuell|nicht-standard|speziell|"
                    r"sonderanfrage|sonderkonfig")),
    ("complex", (r"complex|diagnos|troubleshoot|dépann|złożon|rozwiązywani|solución de problemas|complej|"
                r"komplex|fehlerbehebung|fehlersuche|\bslow|\blent|wolno|powoln|langsam|performance|"
                r"rendimiento|wydajno|leistung|latenc|\blag\b|opóźnie")),
    ("simple", (r"billing|invoice|payment|refund|access|log ?in|password|factur|paiement|rembours|accès|"
               r"connexion|mot de passe|rozlicz|faktur|płatno|zwrot|dostęp|logowa|hasł|pago|reembols|"
               r"acceso|contraseña|rechnung|abrechnung|zahlung|erstattung|zugang|passwort|anmeld")),
    ("standard", (r"hardware|\bdisk|\bram\b|on[- ]site|matériel|disque|sur place|sprzęt|dysk|na miejscu|"
                 r"\bdisco|in situ|festplatte|vor ort|technical|techni(?:que|czn|sch)|técnic|network|réseau|"
                 r"\bsieci|\bred\b|netzwerk|server|serveur|serwer|servidor")),
)
# Searched in the lower-cased text: a case-insensitive search of these alternations costs three times more.
_KIND_RES = tuple((kind, re.compile(pattern)) for kind, pattern in _KIND_PATTERNS)


def kind_in(text: str) -> str | None:
    """The row of the table a question is about ("firewall" for the seed's example), if any."""
    text = text.lower()
    for kind, pattern in _KIND_RES:
        if pattern.search(text):
            return kind
    return None
