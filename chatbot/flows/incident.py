"""The critical-incident intake: what the support documents ask a customer to give (contact
document: server IP or order number, the service name as shown in the client area, the time the
problem started in CET/CEST or with a time zone)."""
from __future__ import annotations

import re
from typing import Any

from chatbot.flows.engine import Flow, ParseContext, Slot
from chatbot.i18n import N_
from chatbot.understanding import parse_ip, parse_order, parse_service, parse_start_time

INCIDENT_INTENTS = frozenset({"tech.outage", "tech.performance", "tech.hardware"})


def _ip_or_order(text: str, ctx: ParseContext) -> dict[str, Any]:
    return {"ip": parse_ip(text), "order": parse_order(text)}


def _service(text: str, ctx: ParseContext) -> dict[str, Any]:
    return {"service": parse_service(text, ctx.known_services)}


def _start_time(text: str, ctx: ParseContext) -> dict[str, Any]:
    when = parse_start_time(text, ctx.now)
    return {"start_time": when.isoformat() if when else None}


# Diagnostics a customer may paste or attach: tool names and words for logs, errors, screenshots.
_DIAGNOSTICS = re.compile(
    r"\b(ping|traceroute|tracert|mtr|packet loss|logs?|journal|dmesg|syslog|error|erreur|błąd|bledy|fehler|"
    r"fehlermeldung|screenshots?|capture d'écran|zrzut ekranu|captura|anbei|im anhang|ci-joint|pièce jointe|"
    r"w załączniku|adjunto|attached)\b", re.I)


def _diagnostics(text: str, ctx: ParseContext) -> dict[str, Any]:
    return {"diagnostics": text[:1000]} if _DIAGNOSTICS.search(text) else {}


INCIDENT = Flow(
    name="incident",
    slots=(
        Slot("ip_or_order", ("ip", "order"), _ip_or_order,
             N_("What is the IP address of the server or the order number (for example #123456)?")),
        Slot("service", ("service",), _service,
             N_("What is the name of the service as shown in your client area?")),
        Slot("start_time", ("start_time",), _start_time,
             N_("When did the problem start? Please give the time and your time zone (CET/CEST if you do not say).")),
        Slot("diagnostics", ("diagnostics",), _diagnostics,
             N_("If you have any diagnostics (ping or traceroute results, logs, screenshots), please include them."),
             optional=True),
    ),
    completed=N_("Thank you, the ticket now has everything the engineers need to start."),
)

FLOWS = {INCIDENT.name: INCIDENT}
