"""email: stored inbound mails (raw bytes first), the IMAP position, automatic replies per address

Revision ID: 0002_email
Revises: 0001_initial
Create Date: 2026-11-22
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa
import chatbot.db


revision = '0002_email'
down_revision = '0001_initial'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('inbound_mails',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mail_key', sa.String(length=64), nullable=False),
    sa.Column('message_id', sa.Text(), nullable=True),
    sa.Column('content_hash', sa.String(length=64), nullable=True),
    sa.Column('raw', sa.LargeBinary(), nullable=True),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('mailbox', sa.String(length=200), nullable=False),
    sa.Column('uidvalidity', sa.BigInteger(), nullable=False),
    sa.Column('uid', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', chatbot.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('from_addr', sa.String(length=320), nullable=True),
    sa.Column('subject', sa.Text(), nullable=True),
    sa.Column('conversation_id', sa.String(length=36), nullable=True),
    sa.Column('message_row_id', sa.Integer(), nullable=True),
    sa.Column('thread', sa.JSON(), nullable=False),
    sa.Column('reply_allowed', sa.Boolean(), nullable=False),
    sa.Column('silent', sa.Boolean(), nullable=False),
    sa.Column('reply_reason', sa.Text(), nullable=True),
    sa.Column('ack_outbox_id', sa.Integer(), nullable=True),
    sa.Column('received_at', chatbot.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('processed_at', chatbot.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['ack_outbox_id'], ['outbox.id'], name=op.f('fk_inbound_mails_ack_outbox_id_outbox')),
    sa.ForeignKeyConstraint(['message_row_id'], ['messages.id'], name=op.f('fk_inbound_mails_message_row_id_messages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inbound_mails')),
    sa.UniqueConstraint('mail_key', name=op.f('uq_inbound_mails_mail_key'))
    )
    with op.batch_alter_table('inbound_mails', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inbound_mails_conversation_id'), ['conversation_id'], unique=False)
        batch_op.create_index('ix_inbound_mails_due', ['status', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_inbound_mails_message_row_id'), ['message_row_id'], unique=False)

    op.create_table('mailbox_positions',
    sa.Column('mailbox', sa.String(length=200), nullable=False),
    sa.Column('uidvalidity', sa.BigInteger(), nullable=False),
    sa.Column('last_uid', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', chatbot.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('mailbox', name=op.f('pk_mailbox_positions'))
    )
    op.create_table('auto_replies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('address', sa.String(length=320), nullable=False),
    sa.Column('sent_at', chatbot.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_auto_replies'))
    )
    with op.batch_alter_table('auto_replies', schema=None) as batch_op:
        batch_op.create_index('ix_auto_replies_address_at', ['address', 'sent_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('auto_replies', schema=None) as batch_op:
        batch_op.drop_index('ix_auto_replies_address_at')
    op.drop_table('auto_replies')
    op.drop_table('mailbox_positions')
    with op.batch_alter_table('inbound_mails', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inbound_mails_message_row_id'))
        batch_op.drop_index('ix_inbound_mails_due')
        batch_op.drop_index(batch_op.f('ix_inbound_mails_conversation_id'))
    op.drop_table('inbound_mails')
