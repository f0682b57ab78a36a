"""lock_turn_read(), lock_turns_read(): a turn's lock and its first read, planned once per connection (PostgreSQL only)

lock_turn_then() (0010) ran the caller's query through EXECUTE, which plans it again at every call:
measured alone, its lock and read with the unlock cost PostgreSQL 0.124–0.126 ms of CPU per turn.
The same query written into a plpgsql function is planned once per connection and reused: 0.036–0.038 ms.
So the first read is written here. It still runs after the lock, with a fresh snapshot of its own,
as in 0010. It returns the conversation as its table's row type, so a column added to
conversations later needs no new version of this function. The open ticket's statuses are written
out here; chatbot/conversations.py's `_LOAD` must agree with them, and tests/scale/test_turns.py
checks that it does.

lock_turns_read() does the same for several turns in one call, on the connection that holds its
process's turn locks (chatbot/turn_locks.py `TurnLocks`): it tries each lock without waiting
(a lock another process holds is then waited for with lock_turn_read(), on a connection of the
turn's own), and reads the conversations whose lock it took after taking them all.

lock_turn_then() stays, for processes of the previous version during a rolling upgrade.

Revision ID: 0011_turn_read_function
Revises: 0010_turn_lock_function
Create Date: 2026-11-22
"""
from __future__ import annotations

from alembic import op

revision = '0011_turn_read_function'
down_revision = '0010_turn_lock_function'
branch_labels = None
depends_on = None

LOCK_TURN_READ = """
CREATE OR REPLACE FUNCTION lock_turn_read(p_key bigint, p_conversation_id varchar)
RETURNS TABLE (turn_conversation conversations, turn_open_ticket integer) LANGUAGE plpgsql AS $$
BEGIN
    -- Session-level: held across the turn's commits until pg_advisory_unlock or disconnection.
    PERFORM pg_advisory_lock(p_key);
    RETURN QUERY
        SELECT c, (SELECT max(t.id) FROM tickets t
                   WHERE t.conversation_id = c.id AND t.status IN ('new', 'open', 'waiting', 'escalated'))
        FROM conversations c WHERE c.id = p_conversation_id;
END
$$;
"""

LOCK_TURNS_READ = """
CREATE OR REPLACE FUNCTION lock_turns_read(p_keys bigint[], p_conversation_ids varchar[])
RETURNS TABLE (turn_index integer, turn_locked boolean, turn_conversation conversations, turn_open_ticket integer)
LANGUAGE plpgsql AS $$
DECLARE
    v_locked boolean[] := '{}';
BEGIN
    FOR i IN 1 .. coalesce(array_length(p_keys, 1), 0) LOOP
        v_locked := v_locked || pg_try_advisory_lock(p_keys[i]);  -- session-level, as above
    END LOOP;
    -- After every lock is taken: a fresh snapshot, which sees what each previous holder committed.
    RETURN QUERY
        SELECT g.i::integer, v_locked[g.i], c,
               (SELECT max(t.id) FROM tickets t
                WHERE t.conversation_id = c.id AND t.status IN ('new', 'open', 'waiting', 'escalated'))
        FROM unnest(p_conversation_ids) WITH ORDINALITY AS g(id, i)
        LEFT JOIN conversations c ON c.id = g.id AND v_locked[g.i]
        ORDER BY g.i;
END
$$;
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(LOCK_TURN_READ)
        op.execute(LOCK_TURNS_READ)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS lock_turns_read(bigint[], varchar[])")
        op.execute("DROP FUNCTION IF EXISTS lock_turn_read(bigint, varchar)")
