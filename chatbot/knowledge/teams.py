"""Which team a customer asks about, in any of the five languages."""
from __future__ import annotations

import re

# The teams customers ask the hours of, in the order the seeds list them. Management is left out:
# the documents give it no hours, and approvals are not something a customer waits for at a desk.
ASKABLE = ("support", "billing", "datacenter", "sysadmins")

# Stems, not words: the languages inflect and German compounds ("Abrechnungsteam",
# "Rechenzentrumstechniker", "Systemadministratoren"). Datacenter technicians are "technicien",
# "Techniker", "technicy", "técnicos"; technical support is "technique", "technisch",
# "techniczny", "técnico": the two must not be confused.
_PATTERNS = {
    "billing": r"billing|invoice|financ|finanz|finans|payment|accounting|factur|paiement|comptab|rozlicze|"
               r"faktur|płatno|księgow|\bpagos?\b|cobro|contabilidad|abrechnung|rechnung|buchhaltung|zahlung",
    "datacenter": r"data ?cent(?:er|re)|rechenzentr|centre de données|centro de datos|centrum danych|"
                  r"serwerowni|on[- ]site|sur place|in situ|vor ort|na miejscu|technician|technicien|"
                  r"techniker|technicy|techników|technika\b|técnicos",
    "sysadmins": r"admin",
    "support": r"support|assistance|soporte|asistencia|wsparci|pomoc\w* techniczn|helpdesk|hotline|"
               r"engineer|ingénieur|inżynier|ingenier|ingenieur|\bchat|\bczat",
}
_TEAM_RES = {team: re.compile(pattern) for team, pattern in _PATTERNS.items()}  # for lower-cased text


def teams_in(text: str) -> tuple[str, ...]:
    """The teams ``text`` names, in seed order; support only when no specialist team is named.

    "Is your support's billing team there?" asks about billing: "support" is often just the word
    for the whole desk.
    """
    text = text.lower()
    found = [team for team in ASKABLE if _TEAM_RES[team].search(text)]
    specialists = [team for team in found if team != "support"]
    return tuple(specialists or found)
