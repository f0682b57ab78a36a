"""Imports every module that defines tables, so that Base.metadata knows them all (Alembic, tests)."""
from chatbot import models  # noqa: F401
from chatbot.agents import models as agent_models  # noqa: F401
from chatbot import leases  # noqa: F401
from chatbot import pending  # noqa: F401
from chatbot import sla_clocks  # noqa: F401
from chatbot import mail_store  # noqa: F401
