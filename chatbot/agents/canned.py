"""Canned answers for agents, always in the customer's language (the conversation's), never the
agent's: a German agent answering a Polish visitor inserts Polish text and may edit it before
sending. The questions for a critical incident are the bot's own, so agent and bot ask alike."""
from __future__ import annotations

from chatbot.flows.incident import INCIDENT
from chatbot.i18n import DEFAULT_LANGUAGE, LANGUAGES, N_, gettext

_QUESTIONS = {slot.name: slot.prompt for slot in INCIDENT.slots}

CANNED: tuple[tuple[str, str], ...] = (
    ("greeting", N_("Hello, I am {name} from the INTROSERV support team. I am reading your conversation now.")),
    ("checking", N_("Thank you for your patience: I am checking this for you and will come back to you here "
                    "in a few minutes.")),
    *((f"ask_{name}", prompt) for name, prompt in _QUESTIONS.items()),
    ("escalate", N_("I am passing your request to the specialists who can solve it. You stay in this "
                    "conversation: there is no need to resubmit your request, and you will receive regular "
                    "updates.")),
    ("registered_email", N_("For anything about your account, please write to support@introserv.com from the "
                            "email address registered with your INTROSERV account, or open a ticket in your "
                            "client area.")),
    ("anything_else", N_("Is there anything else I can help you with?")),
    ("goodbye", N_("Thank you for contacting INTROSERV support. Have a nice day!")),
)


def canned_answers(lang: str | None, agent_name: str) -> list[dict[str, str]]:
    """The canned answers as the console lists them: key and text ready to insert."""
    lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    return [{"key": key, "text": gettext(msgid, lang, name=agent_name)} for key, msgid in CANNED]
