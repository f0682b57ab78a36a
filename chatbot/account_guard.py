"""The account guard: nobody gets account information, or action on an account, that is not theirs.

The support documents say: general questions may come from anywhere; for anything about an account,
use the registered email address or a ticket in the client area, "to verify account ownership and
ensure secure access". So, after the understanding step:

- an unverified sender (anonymous website visitor, unknown or unauthenticated email address) whose
  message is about an account — a ticket kind of request (an outage, billing, access…), or an
  order, IP address or service named — gets a polite answer in their language pointing to the
  client area's ticket form and the registered address, and nothing else: no ticket, no detail
  stored, and not a word about whether that order or address exists. A total outage still gets
  practical guidance on how to report it so that it is handled within minutes;
- a verified customer who names an order number or IP address that is not among their services
  gets one neutral sentence, the same whether it belongs to another customer or to nobody, and the
  value is dropped before anything else sees it (the incident intake asks for it again).
"""
from __future__ import annotations

import ipaddress
import re
from dataclasses import replace

from chatbot.i18n import N_, gettext
from chatbot.models import Customer
from chatbot.pipeline import EndTurn, Step, Turn
from chatbot.understanding import Analysis, parse_ip, parse_order
from chatbot.understanding.intents import CONVERSATIONAL, FAQ

GENERAL_INTENTS = frozenset(CONVERSATIONAL + FAQ)

NOT_IDENTIFIED = N_("For your security, I can only give general information here until we know who you are: I "
                    "cannot look into or act on an account, an order, an IP address, a service or an invoice.")
HOW_TO_ASK = N_("Please open a ticket in your client area (Tickets → Add ticket), or write to "
                "support@introserv.com from the email address registered with your INTROSERV account.")
OUTAGE_HOW_TO = N_("For a critical incident such as a server that is completely down, choose the “Technical "
                   "questions” department and “High” priority, and give the server's IP address or order "
                   "number, the service name as shown in your client area and the time the problem started: a "
                   "ticket gets a first response within 10 minutes, 24/7.")
ACCESS_HOW_TO = N_("If you cannot log in to your client area, write to support@introserv.com from the email "
                   "address registered with your account.")
GENERAL_STILL = N_("I can still answer general questions here, for example about response times, our teams' "
                   "hours or how to report an incident.")
NOT_YOURS = N_("The order number or IP address you gave does not match the services of your account, so I "
               "have not used it. Please check it in your client area.")

# A LAN or loopback address is the customer's own network, not a claim about a service of ours.
_LOCAL = tuple(ipaddress.ip_network(n) for n in (
    "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
    "fc00::/7", "fe80::/10", "::1/128"))
_IP_LIKE = re.compile(r"[0-9A-Fa-f:.]{3,}")
_MASK = "…"


def guard_account_requests() -> Step:
    async def step(turn: Turn) -> None:
        a = turn.analysis
        assert a is not None, "understand runs first"
        if not turn.lang_supported:
            return  # the next step says which languages we speak
        if turn.verified and turn.customer is not None:
            cleaned = without_foreign(a, turn.customer)
            if cleaned is not a:
                turn.analysis = cleaned
                await turn.say(NOT_YOURS)
            return
        if not about_an_account(a, turn.flow.flow):
            return
        # Someone locked out of the client area can only use the registered address.
        lines = [NOT_IDENTIFIED, ACCESS_HOW_TO if a.intent == "account.access" else HOW_TO_ASK]
        if a.intent == "tech.outage" or a.total_outage:
            lines.append(OUTAGE_HOW_TO)
        lines.append(GENERAL_STILL)
        await turn.say_text(" ".join(gettext(line, turn.lang) for line in lines))
        raise EndTurn("account request from an unverified sender")
    return step


def about_an_account(a: Analysis, flow: str | None) -> bool:
    """A request only the account holder may make: anything that would become or change a ticket.
    A message the bot did not understand is not one (the next step asks again, then hands over)."""
    s = a.slots
    return (a.understood and a.intent not in GENERAL_INTENTS) or bool(s.ip or s.order or s.service or flow)


def _normalised_ip(text: str) -> str | None:
    try:
        return ipaddress.ip_address(text).compressed.lower()
    except ValueError:
        return None


def _public(ip: str) -> bool:
    addr = ipaddress.ip_address(ip)
    return not any(addr in net for net in _LOCAL if net.version == addr.version)


def without_foreign(a: Analysis, customer: Customer) -> Analysis:
    """``a`` without the order numbers and public IPs that are not the customer's (``a`` itself when
    there are none). The text is masked too, because the incident intake reads it again."""
    orders = {s.order_number.lstrip("#") for s in customer.services}
    ips = {_normalised_ip(ip) for s in customer.services for ip in (s.ips or [])}
    text, changed = a.text, False

    def mask_ip(m: re.Match[str]) -> str:
        nonlocal changed
        raw = m.group(0).strip(".:")
        ip = _normalised_ip(raw)
        if ip is None or ip in ips or not _public(ip):
            return m.group(0)
        changed = True
        return m.group(0).replace(raw, _MASK)

    text = _IP_LIKE.sub(mask_ip, text)
    for _ in range(5):  # a message rarely names more than one or two orders
        order = parse_order(text)
        if order is None or order in orders:
            break
        text, changed = re.sub(rf"(?<!\d){order}(?!\d)", _MASK, text), True
    slot_ip, slot_order = a.slots.ip, a.slots.order
    if slot_ip and _public(slot_ip) and slot_ip not in ips:  # e.g. from an email's subject line
        slot_ip, changed = None, True
    if slot_order and slot_order not in orders:
        slot_order, changed = None, True
    if not changed:
        return a
    slots = replace(a.slots, ip=parse_ip(text) if slot_ip is None else slot_ip,
                    order=parse_order(text) if slot_order is None else slot_order)
    return replace(a, text=text, slots=slots)
