"""recovery: pending_turns (customer messages whose turn has not finished yet)

Revision ID: 0008_recovery
Revises: 0001_initial
Create Date: 2026-11-21
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa
import chatbot.db


revision = '0008_recovery'
down_revision = '0001_initial'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('pending_turns',
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.String(length=36), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', chatbot.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['messages.id'], name=op.f('fk_pending_turns_message_id_messages'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('message_id', name=op.f('pk_pending_turns'))
    )
    with op.batch_alter_table('pending_turns', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pending_turns_next_attempt_at'), ['next_attempt_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('pending_turns', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pending_turns_next_attempt_at'))
    op.drop_table('pending_turns')
