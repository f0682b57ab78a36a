"""accept_message(): a customer message stored in one round trip (PostgreSQL only)

The chat's acknowledgement waits for this transaction, and on PostgreSQL every statement is a
network round trip: a stored function does the lock, the duplicate check, the first-message test
and both inserts server-side. SQLite (in-process, no round trips) keeps the Python statements in
chatbot/conversations.py, which mirror this function line for line.

Revision ID: 0009_accept_function
Revises: 0008_recovery
Create Date: 2026-11-21
"""
from __future__ import annotations

from alembic import op

revision = '0009_accept_function'
down_revision = '0008_recovery'
branch_labels = None
depends_on = None

ACCEPT_MESSAGE = """
CREATE OR REPLACE FUNCTION accept_message(
    p_conversation_id varchar, p_channel varchar, p_contact varchar, p_text text, p_client_id varchar,
    p_received_at timestamptz, p_meta json,
    OUT o_message_id integer, OUT o_created_at timestamptz, OUT o_is_first boolean, OUT o_duplicate boolean)
LANGUAGE plpgsql AS $$
BEGIN
    -- The conversation's row lock orders its accepts (across processes): the duplicate check and
    -- the first-message test below then see every message accepted before this one.
    PERFORM 1 FROM conversations c WHERE c.id = p_conversation_id FOR NO KEY UPDATE;
    IF NOT FOUND THEN
        INSERT INTO conversations (id, channel, contact, state, verified, status, created_at, updated_at)
        VALUES (p_conversation_id, p_channel, p_contact, '{}', false, 'bot', now(), now())
        ON CONFLICT (id) DO NOTHING;
        PERFORM 1 FROM conversations c WHERE c.id = p_conversation_id FOR NO KEY UPDATE;
    END IF;
    IF p_client_id IS NOT NULL THEN  -- a retried send: the message stored the first time
        SELECT m.id, m.created_at INTO o_message_id, o_created_at FROM messages m
         WHERE m.conversation_id = p_conversation_id AND m.client_id = p_client_id;
        IF FOUND THEN
            o_is_first := false;
            o_duplicate := true;
            RETURN;
        END IF;
    END IF;
    o_is_first := NOT EXISTS (SELECT 1 FROM messages m
                              WHERE m.conversation_id = p_conversation_id AND m.author = 'customer');
    INSERT INTO messages (conversation_id, author, kind, text, lang, client_id, created_at, meta)
    VALUES (p_conversation_id, 'customer', 'text', p_text, NULL, p_client_id, p_received_at, p_meta)
    RETURNING id INTO o_message_id;
    -- The turn is owed until its last commit (chatbot/recovery.py).
    INSERT INTO pending_turns (message_id, conversation_id, attempts, next_attempt_at)
    VALUES (o_message_id, p_conversation_id, 0, p_received_at);
    o_created_at := p_received_at;
    o_duplicate := false;
END
$$;
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(ACCEPT_MESSAGE)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS accept_message("
                   "varchar, varchar, varchar, text, varchar, timestamptz, json)")
