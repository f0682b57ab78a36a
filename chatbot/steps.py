"""The steps of the pipeline, in the order ``default_steps`` lists them. Each reads and writes the
turn; a step that has said all there is to say ends the turn with EndTurn."""
from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Awaitable, Callable

from chatbot.conversations import ConversationStore
from chatbot.desk import Desk, Route
from chatbot.flows.engine import FlowState, ParseContext, fill, mark_asked, next_questions
from chatbot.flows.incident import FLOWS, INCIDENT, INCIDENT_INTENTS
from chatbot.i18n import N_, current_language, gettext
from chatbot.identity import identify
from chatbot.models import Customer
from chatbot.pipeline import EndTurn, Step, Turn
from chatbot.sla import record_ack
from chatbot.tickets import open_ticket, raise_priority, update_details, wire
from chatbot.understanding import Analysis, Analyzer

ACK = N_("Thank you, your message has reached INTROSERV support. You will get a first response within 10 minutes, at any hour.")
GREETING = N_("Hello! How can I help you? Ask me a question or describe the problem with your server.")
THANKS = N_("You are welcome! If you need anything else, just write here.")
UNSUPPORTED = N_("Sorry, I can only answer in English, French, Polish, Spanish and German. Please write in one of these languages.")
NOT_UNDERSTOOD = N_("Sorry, I did not understand. Could you say it in other words, or describe the problem with your server?")
HANDOFF = N_("I am passing this conversation to a person from our support team, who will join here. Our support engineers are available 24/7 and answer within 10 minutes.")
TICKET_OPENED = N_("I have opened ticket {number} for you ({priority} priority). It is handled by: {team}.")
DETAILS_ADDED = N_("Thank you, I have added this to ticket {number}.")
PRIORITY_RAISED = N_("Ticket {number} is now high priority.")
TEAM_NAMES = {
    "support": N_("support engineers"),
    "billing": N_("billing team"),
    "datacenter": N_("datacenter technicians"),
    "sysadmins": N_("system administrators"),
    "management": N_("management"),
}
PRIORITY_NAMES = {"high": N_("high"), "regular": N_("regular")}

# "I don't know" to a question: the slot is skipped rather than asked again.
_DONT_KNOW = re.compile(
    r"\b(je ne sais pas|aucune idée|sais pas|nie wiem|nie pamiętam|no (lo )?sé|ni idea|"
    r"weiß (ich )?nicht|keine ahnung|(i )?don'?t know|no idea|not sure)\b", re.I)

Expectations = Callable[[Route, str, str, datetime], list[str]]
Answerer = Callable[[str, str, datetime, str], str]
# Puts the conversation in the agents' queue and tells the visitor (chatbot.handoff.Handoff.request).
HandOff = Callable[[Turn, str], Awaitable[None]]


def slots_of(analysis: Analysis) -> dict[str, Any]:
    s = analysis.slots
    return {"ip": s.ip, "order": s.order, "service": s.service,
            "start_time": s.start_time.isoformat() if s.start_time else None}


def load_conversation() -> Step:
    async def step(turn: Turn) -> None:
        conv, turn.open_ticket = await ConversationStore.load(turn.session, turn.accepted.conversation_id)
        turn.conversation = conv
        turn.flow = FlowState.load(conv.state or {})
        if conv.customer_id is not None:
            turn.customer = await turn.session.get(Customer, conv.customer_id)
            turn.verified = conv.verified
    return step


def detect_language(analyzer: Analyzer) -> Step:
    async def step(turn: Turn) -> None:
        hints = turn.inbound.hints.in_conversation(turn.conv.lang)
        turn.lang, turn.lang_supported = analyzer.detect_language(turn.inbound.text, hints)
        current_language.set(turn.lang)
        if turn.lang_supported and turn.conv.lang != turn.lang:  # untouched, the row is not flushed
            turn.conv.lang = turn.lang
    return step


def acknowledge() -> Step:
    async def step(turn: Turn) -> None:
        if turn.accepted.is_first:
            ack = await turn.say(ACK, "ack")
            # The chat's acknowledgement is kept once it is stored (docs/tickets.md, SLA hooks).
            await record_ack(turn.session, turn.conv.id, ack.created_at)
    return step


def stay_silent_while_agent_holds() -> Step:
    async def step(turn: Turn) -> None:
        if turn.conv.status == "agent":
            raise EndTurn("held by agent")
    return step


def verify_identity(identity_secret: str, trusted_auth_server: str | None = None) -> Step:
    async def step(turn: Turn) -> None:
        sender = turn.inbound.sender
        if sender.customer_ref is None and sender.address is None:
            return  # nothing claimed: keep what the conversation already established
        customer, verified = await identify(turn.session, sender, identity_secret, trusted_auth_server)
        turn.customer, turn.verified = customer, verified
        turn.conv.customer_id = customer.id if customer and verified else None
        turn.conv.verified = verified
        if turn.customer is not None and verified:
            turn.known_services = [s.name for s in turn.customer.services]
    return step


def understand(analyzer: Analyzer) -> Step:
    async def step(turn: Turn) -> None:
        if not turn.known_services and turn.customer is not None and turn.verified:
            turn.known_services = [s.name for s in turn.customer.services]
        inbound = turn.inbound
        hints = inbound.hints.in_conversation(turn.conv.lang)
        turn.analysis = analyzer.analyze(inbound.text, channel=inbound.channel, now=inbound.received_at,
                                         subject=inbound.subject, hints=hints,
                                         known_services=turn.known_services,
                                         language=(turn.lang, turn.lang_supported))  # detected above
    return step


def converse(desk: Desk, answer: Answerer, hand_off: HandOff | None = None) -> Step:
    """Decide what this message asks for: a short answer, a person, a ticket, or more details."""

    async def step(turn: Turn) -> None:
        a = turn.analysis
        assert a is not None
        if not turn.lang_supported:
            await turn.say(UNSUPPORTED)
            raise EndTurn("unsupported language")
        filled = False
        if turn.flow.flow:
            ctx = ParseContext(turn.inbound.received_at, turn.known_services)
            filled = bool(fill(FLOWS[turn.flow.flow], turn.flow, a.text, ctx, slots_of(a)))
            if not filled and _DONT_KNOW.search(a.text):
                turn.flow.skip_asked()
                filled = True
        state = turn.conv.state or {}
        misunderstood = 0 if (a.understood or filled) else int(state.get("misunderstood", 0)) + 1
        if state.get("misunderstood") != misunderstood:
            turn.conv.state = {**state, "misunderstood": misunderstood}
        if a.intent == "greeting" and not filled:
            await turn.say(GREETING)
        elif a.intent == "thanks" and not filled:
            await turn.say(THANKS)
        elif a.intent == "human" or misunderstood >= 2:
            if hand_off is not None:
                await hand_off(turn, "asked" if a.intent == "human" else "misunderstood")
            else:
                turn.conv.status = "waiting"
                await turn.say(HANDOFF, "handoff")
        elif a.intent.startswith("faq."):
            await turn.say_text(answer(a.intent, turn.lang, turn.inbound.received_at, a.text))
        elif desk.route(a.intent).team is not None and a.understood:
            turn.ticket = turn.open_ticket
            if turn.ticket is None:
                turn.wants_ticket = True
                if a.intent in INCIDENT_INTENTS and not turn.flow.flow:
                    turn.flow = FlowState(INCIDENT.name, {}, [], [])
                    ctx = ParseContext(turn.inbound.received_at, turn.known_services)
                    fill(INCIDENT, turn.flow, a.text, ctx, slots_of(a))
            elif a.total_outage and await raise_priority(turn.session, turn.ticket, "customer"):
                await turn.say(PRIORITY_RAISED, number=turn.ticket.number)
        elif not filled:
            await turn.say(NOT_UNDERSTOOD)
    return step


def route(desk: Desk, expectations: Expectations) -> Step:
    """Open the ticket for the right team, or add what the customer just gave to the open one."""

    async def step(turn: Turn) -> None:
        a = turn.analysis
        assert a is not None
        details = {k: v for k, v in (turn.flow.values or slots_of(a)).items() if v}
        if turn.wants_ticket:
            r = desk.route(a.intent, a.total_outage)
            ticket = await open_ticket(
                turn.session, conversation_id=turn.conv.id, customer_id=turn.conv.customer_id,
                channel=turn.inbound.channel, intent=a.intent, route=r, lang=turn.lang, details=details,
                summary=a.text, received_at=turn.inbound.received_at)
            turn.ticket, turn.ticket_opened = ticket, True
            lines = [gettext(TICKET_OPENED, turn.lang, number=ticket.number,
                             team=gettext(TEAM_NAMES[ticket.team], turn.lang),
                             priority=gettext(PRIORITY_NAMES[ticket.priority], turn.lang))]
            lines += expectations(r, turn.inbound.channel, turn.lang, turn.inbound.received_at)
            await turn.say_text(" ".join(lines), "ticket", ticket=wire(ticket, desk))
            return
        if not details:
            return
        turn.ticket = turn.ticket or turn.open_ticket
        if turn.ticket is not None and await update_details(turn.session, turn.ticket, details, "customer"):
            if not turn.flow.flow:  # inside a flow, the next question or its completion says it
                await turn.say(DETAILS_ADDED, number=turn.ticket.number)
    return step


def ask_missing() -> Step:
    """Ask for what the incident still lacks: one question in chat, all at once in email."""

    async def step(turn: Turn) -> None:
        if not turn.flow.flow:
            return
        flow = FLOWS[turn.flow.flow]
        questions = next_questions(flow, turn.flow, turn.inbound.questions_per_reply)
        if questions:
            mark_asked(turn.flow, questions)
            for q in questions:
                await turn.say(q.prompt, "question")
            return
        await turn.say(flow.completed)
        turn.flow = FlowState()
    return step


def save_state() -> Step:
    async def step(turn: Turn) -> None:
        state = turn.conv.state or {}
        saved = {**state, **turn.flow.dump()}
        if saved != state:
            turn.conv.state = saved
    return step
