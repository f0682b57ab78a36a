"""Tables of the agents' side: who the agents are, their login sessions, failed logins (for
throttling) and the handoffs of conversations from the bot to a person."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from chatbot.db import Base, UTCDateTime, utcnow

ROLES = ("agent", "admin")


class Agent(Base):
    __tablename__ = "agents"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)  # login, lower case
    name: Mapped[str] = mapped_column(String(200))  # shown to visitors when the agent joins
    teams: Mapped[list[str]] = mapped_column(JSON, default=list)  # desk team names (desk.toml)
    role: Mapped[str] = mapped_column(String(16), default="agent")  # agent | admin
    password_hash: Mapped[str] = mapped_column(String(255))  # argon2id, with its own parameters
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AgentSession(Base):
    """A login. Only a hash of the token is stored: a copy of the database opens no session."""

    __tablename__ = "agent_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class LoginFailure(Base):
    """Failed logins per key ("email:…" or "ip:…"), shared by every process, so that guessing
    passwords is slowed down however many servers there are."""

    __tablename__ = "agent_login_failures"
    key: Mapped[str] = mapped_column(String(400), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_failed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Handoff(Base):
    """One stay of a conversation with the people: from the moment the bot hands it off (or an agent
    takes it) to the hand-back, the ticket or the close. ``ended_at`` is NULL while it lasts."""

    __tablename__ = "handoffs"
    __table_args__ = (Index("ix_handoffs_open", "ended_at", "requested_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(16))  # asked | misunderstood | incident | taken
    priority: Mapped[str] = mapped_column(String(8), default="regular")  # high | regular
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the first human response is due (the SLA clock), which orders the queue.
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id", ondelete="SET NULL"), index=True)
    taken_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(String(16))  # bot | ticket | closed
    # The last message the visitor has seen, for the console's read indicator.
    visitor_read_id: Mapped[int | None] = mapped_column()
