"""The mark of a turn still owed: one row per customer message whose turn has not finished.

Written by `ConversationStore.accept` (chatbot/conversations.py) in the transaction that stores the
message, deleted by the turn's own last commit (`ConversationStore.finish`); chatbot/recovery.py
finishes the turns whose row outlives them. Kept apart from recovery.py so the store can import it
without importing the pipeline.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from chatbot.db import Base, UTCDateTime


class PendingTurn(Base):
    __tablename__ = "pending_turns"
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"), primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(36))
    # 0 until a recovery claims it; a claim is a conditional UPDATE of this number (optimistic lock).
    attempts: Mapped[int] = mapped_column(default=0)
    # attempts 0: when the message was stored; later: when the next try is due.
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)

