"""The texts of the two web pages, the visitor's chat widget and the agent console, taken from the
same gettext catalogues as everything the bot says and served as JSON per language
(``GET /i18n/{page}/{lang}.json``), so a page never carries a sentence of its own."""
from __future__ import annotations

from chatbot.channels.chat import ERRORS as CHAT_ERRORS
from chatbot.i18n import DEFAULT_LANGUAGE, LANGUAGES, N_, gettext
from chatbot.steps import PRIORITY_NAMES, TEAM_NAMES

SEND = N_("Send")
RECONNECTING = N_("Connection lost. Reconnecting…")

WIDGET = {
    "open": N_("Chat with INTROSERV support"),
    "title": N_("INTROSERV support"),
    "subtitle": N_("We answer 24/7"),
    "close": N_("Close the chat"),
    "placeholder": N_("Write your message…"),
    "send": SEND,
    "connecting": N_("Connecting…"),
    "reconnecting": RECONNECTING,
    "you": N_("You"),
    "assistant": N_("Assistant"),
    "agent": N_("Support agent"),
    "received": N_("Message received"),
    "question": N_("Question for you"),
    "ticket": N_("Ticket {number}"),
    "typing": N_("{name} is typing…"),
    "sending": N_("Sending…"),
    "sent": N_("Sent"),
    "read": N_("Read"),
    "failed": N_("Not sent. Select to try again."),
    "closed": N_("This conversation is closed."),
    "new_conversation": N_("Start a new conversation"),
    "unread": N_("New messages"),
}

CONSOLE = {
    "title": N_("INTROSERV agent console"),
    "sign_in_title": N_("Sign in to the agent console"),
    "email": N_("Email address"),
    "password": N_("Password"),
    "sign_in": N_("Sign in"),
    "sign_out": N_("Sign out"),
    "invalid_credentials": N_("Wrong email address or password."),
    "throttled": N_("Too many failed attempts. Try again in {seconds} seconds."),
    "session_expired": N_("Your session has expired. Please sign in again."),
    "reconnecting": RECONNECTING,
    "queue": N_("Conversations"),
    "section_waiting": N_("Waiting for a person"),
    "section_mine": N_("My conversations"),
    "section_others": N_("Held by colleagues"),
    "section_bot": N_("With the assistant"),
    "empty_section": N_("None right now."),
    "no_selection": N_("Choose a conversation from the list."),
    "visitor": N_("Visitor"),
    "verified": N_("Verified customer"),
    "not_verified": N_("Not verified"),
    "reason_asked": N_("Asked for a person"),
    "reason_misunderstood": N_("Not understood twice"),
    "reason_incident": N_("Critical incident"),
    "reason_taken": N_("Taken from the assistant"),
    "due": N_("Reply due by {time}"),
    "overdue": N_("Reply overdue since {time}"),
    "held_by": N_("Held by {name}"),
    "language": N_("Language"),
    "details": N_("Collected details"),
    "no_details": N_("No details collected yet."),
    "ticket": N_("Ticket {number}"),
    "no_ticket": N_("No ticket"),
    "detail_ip": N_("IP address"),
    "detail_order": N_("Order number"),
    "detail_service": N_("Service"),
    "detail_start_time": N_("Problem started"),
    "take": N_("Take"),
    "hand_back": N_("Hand back to the assistant"),
    "convert": N_("Convert to a ticket"),
    "close": N_("Close the conversation"),
    "team": N_("Team"),
    "priority": N_("Priority"),
    "note": N_("Note for the team"),
    "create_ticket": N_("Create the ticket"),
    "cancel": N_("Cancel"),
    "canned": N_("Canned answers (in the customer's language)"),
    "composer": N_("Reply to the customer"),
    "send": SEND,
    "customer_typing": N_("The customer is typing…"),
    "seen": N_("Seen by the customer"),
    "author_customer": N_("Customer"),
    "author_bot": N_("Assistant"),
    "author_agent": N_("Support agent"),
    "author_system": N_("Notice"),
    "keyboard_help": N_("Keyboard: Enter sends, Shift+Enter starts a new line, Alt+Q goes to the list, "
                        "Alt+R to the reply box."),
    "new_waiting": N_("{count} waiting"),
    "already_taken": N_("{name} has already taken this conversation."),
    "held_by_other": N_("{name} holds this conversation."),
    "not_taken": N_("Take the conversation first."),
    "not_found": N_("This conversation no longer exists."),
    "unknown_team": N_("Choose a team."),
    "unauthorized": N_("Your session has expired. Please sign in again."),
    "empty_text": CHAT_ERRORS["empty_text"],
    "text_too_long": CHAT_ERRORS["text_too_long"],
    "internal": N_("Something went wrong. Please try again."),
    **{f"team_{team}": msgid for team, msgid in TEAM_NAMES.items()},
    **{f"priority_{p}": msgid for p, msgid in PRIORITY_NAMES.items()},
}

PAGES = {"widget": WIDGET, "console": CONSOLE}


def page_texts(page: str, lang: str) -> dict[str, str]:
    """All texts of ``page`` in ``lang``, placeholders left for the page to fill."""
    lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    return {key: gettext(msgid, lang) for key, msgid in PAGES[page].items()}
