"""sla: one row per SLA clock of a ticket (acknowledgement, first human response, status updates)

Revision ID: 0003_sla
Revises: 0001_initial
Create Date: 2026-11-22
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa
import chatbot.db


revision = '0003_sla'
down_revision = '0001_initial'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sla_clocks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('team', sa.String(length=16), nullable=False),
    sa.Column('priority', sa.String(length=8), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('started_at', chatbot.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('segments', sa.JSON(), nullable=False),
    sa.Column('due_at', chatbot.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('warn_at', chatbot.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('warned_at', chatbot.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('breached_at', chatbot.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('met_at', chatbot.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('breaches', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_sla_clocks_ticket_id_tickets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sla_clocks')),
    sa.UniqueConstraint('ticket_id', 'kind', name=op.f('uq_sla_clocks_ticket_id'))
    )
    with op.batch_alter_table('sla_clocks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sla_clocks_conversation_id'), ['conversation_id'], unique=False)
        batch_op.create_index('ix_sla_clocks_due', ['status', 'due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_sla_clocks_ticket_id'), ['ticket_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('sla_clocks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sla_clocks_ticket_id'))
        batch_op.drop_index('ix_sla_clocks_due')
        batch_op.drop_index(batch_op.f('ix_sla_clocks_conversation_id'))

    op.drop_table('sla_clocks')
