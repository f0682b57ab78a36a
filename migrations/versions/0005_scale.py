"""scale: leases (one process at a time for a named job, e.g. reading the mailbox)

Revision ID: 0005_scale
Revises: 0001_initial
Create Date: 2026-11-22
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa
import chatbot.db


revision = '0005_scale'
down_revision = '0001_initial'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('leases',
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('holder', sa.String(length=200), nullable=False),
    sa.Column('epoch', sa.Integer(), nullable=False),
    sa.Column('acquired_at', chatbot.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('renewed_at', chatbot.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', chatbot.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_leases'))
    )


def downgrade() -> None:
    op.drop_table('leases')
