"""The fixed answers, sentence by sentence, with the facts of the seed documents and nothing else.

Each answer is a tuple of message ids; list items are marked so that the answer can indent them.
Figures (2 min, 1 min, 10 min, 15–30 min) are the documents' own and sit in the sentences rather
than in placeholders, because "2 minut" / "1 minuty" need plural agreement that plain formatting
cannot give; tests check they agree with the promises in desk.toml.
"""
from __future__ import annotations

import re

from chatbot.i18n import N_

BULLET = "• "


class Item(str):
    """A message id shown as a list item."""


ACK = N_("When you contact us, you get an automatic acknowledgement within 2 minutes for a ticket, "
         "or 1 minute in the chat.")
FIRST_REPLY = N_("A support engineer then replies within 10 minutes, 24/7: with questions to understand the "
                 "problem, a quick answer if it is simple, or information on which team will help you.")
EMAIL_REPLY = N_("Emails to support@introserv.com are answered within 15–30 minutes.")
UPDATES = N_("If it takes longer, we keep you informed with regular updates and a realistic timeframe.")

CONTACT = (
    N_("You can reach our support in three ways:"),
    Item(N_("Ticket, the main channel for technical, billing and account requests: Client area → Tickets → "
            "Add ticket; first reply within 10 minutes.")),
    Item(N_("Live chat, 24/7: the chat icon at the bottom right of the INTROSERV website, best for quick "
            "questions.")),
    Item(N_("Email: support@introserv.com, answered within 15–30 minutes, useful when the Client area is out "
            "of reach. For anything about your account, write from the email address registered with it.")),
    N_("Urgent requests are best sent as a ticket, so that we can verify account ownership."),
)

ESCALATION = (
    N_("Escalation means your request is passed to a specialist who can resolve it better; it is normal "
       "and does not mean anything went wrong."),
    N_("We escalate, for example, when a VPS or dedicated server problem needs the system administrators' "
       "tools and access, when it needs expertise beyond standard support, or when a billing credit needs "
       "management approval."),
    N_("You get a message explaining why and what happens next, you stay in the same conversation, and "
       "there is no need to resubmit your request."),
    N_("The specialist takes over, you keep receiving updates, and we confirm the solution with you "
       "before the ticket is closed."),
)

NOTIFICATIONS = (
    N_("Notices of planned maintenance, service changes and outages arrive as personal notifications in "
       "your Client area, with a copy to your registered email address."),
    N_("You can choose a separate address for each type of notification: log in to the Client area, open "
       "Account settings and find the “Send emails” section:"),
    Item(N_("Invoices/orders: billing documents and order confirmations;")),
    Item(N_("Support: updates and replies to your support tickets;")),
    Item(N_("Abuse: abuse reports and security notifications.")),
)

TICKET = (
    N_("To open a ticket, log in to the Client area and go to Tickets → Add ticket."),
    Item(N_("Department: “Technical questions” for server, network or other technical problems, "
            "“Financial questions” for billing, payments or invoices.")),
    Item(N_("Priority: “Regular” for standard requests, “High” for critical incidents such as a total "
            "service outage.")),
    N_("Describe the problem in detail and attach any relevant diagnostics or screenshots; the first "
       "reply comes within 10 minutes."),
)

INCIDENT_INFO = (
    N_("When you report a critical incident, please include:"),
    Item(N_("the server IP address or the order number (e.g. #123456);")),
    Item(N_("the service name as shown in your Client area;")),
    Item(N_("the time the problem started (CET/CEST, or tell us your time zone);")),
    Item(N_("any diagnostic data you have, with relevant logs or screenshots.")),
    N_("Send it as a ticket with “High” priority: high-priority tickets are handled first."),
)

_EMAIL_WORDS = re.compile(r"e-?mail|courriel|\bmail|correo|poczt")  # for lower-cased text


def response_time(text: str) -> tuple[str, ...]:
    # The 15–30 min email figure only when email is asked about: otherwise the 10-minute promise,
    # which holds for every request, is the answer.
    email = (EMAIL_REPLY,) if _EMAIL_WORDS.search(text.lower()) else ()
    return (ACK, FIRST_REPLY, *email, UPDATES)
