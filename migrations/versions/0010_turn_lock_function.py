"""lock_turn_then(): a turn's lock and its first read in one round trip (PostgreSQL only)

A chat turn takes its conversation's advisory lock (chatbot/leases.py) and then reads the
conversation. Two statements were two network round trips. The read must see everything the turn
before it committed, so it cannot be part of the locking statement: that statement's snapshot is
taken before it waits for the lock. In a plpgsql function each query takes a fresh snapshot, so the
query run after the lock sees what the previous holder committed. The query is the caller's (the
conversation store's own SQL, never user input), with one text argument.

Revision ID: 0010_turn_lock_function
Revises: 0009_accept_function
Create Date: 2026-11-22
"""
from __future__ import annotations

from alembic import op

revision = '0010_turn_lock_function'
down_revision = '0009_accept_function'
branch_labels = None
depends_on = None

LOCK_TURN_THEN = """
CREATE OR REPLACE FUNCTION lock_turn_then(p_key bigint, p_query text, p_arg varchar)
RETURNS SETOF record LANGUAGE plpgsql AS $$
BEGIN
    -- Session-level: held across the turn's commits until pg_advisory_unlock or disconnection.
    PERFORM pg_advisory_lock(p_key);
    RETURN QUERY EXECUTE p_query USING p_arg;
END
$$;
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(LOCK_TURN_THEN)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS lock_turn_then(bigint, text, varchar)")
