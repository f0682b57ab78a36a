"""How an SLA scheduler learns that clocks changed, so that it never waits for a sweep.

- In this process: the clock functions flag the session (``sla_clocks.CHANGED``); after the commit
  (never before: the scheduler must see what was committed) every scheduler of the process is
  woken. A session may live in a worker thread, so the wake-up goes through the scheduler's loop.
- In other processes, on PostgreSQL: the same functions send ``NOTIFY sla_clocks``, which the
  database delivers on commit to every scheduler that LISTENs on a connection of its own. If that
  connection is lost, it is opened again at the next pass; meanwhile the scheduler's poll covers.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.orm import Session, SessionTransaction

from chatbot import sla_clocks as facts

log = logging.getLogger(__name__)


class Wakeups:
    def __init__(self, wake: asyncio.Event, engine: AsyncEngine | None) -> None:
        self._wake = wake
        self._engine = engine
        self._loop: asyncio.AbstractEventLoop | None = None
        self._conn: AsyncConnection | None = None
        self._driver: Any = None  # the asyncpg connection that LISTENs

    def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        event.listen(Session, "after_commit", self._after_commit)
        event.listen(Session, "after_transaction_end", self._after_transaction_end)

    async def stop(self) -> None:
        for name, fn in (("after_commit", self._after_commit),
                         ("after_transaction_end", self._after_transaction_end)):
            if event.contains(Session, name, fn):
                event.remove(Session, name, fn)
        await self._unlisten()

    def _after_commit(self, session: Session) -> None:
        if session.info.get(facts.CHANGED) and self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._wake.set)

    @staticmethod
    def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
        if transaction.parent is None:
            session.info.pop(facts.CHANGED, None)

    async def listen(self) -> None:
        """Make sure this scheduler LISTENs (PostgreSQL only; a failure only logs)."""
        if self._engine is None or self._engine.dialect.name != "postgresql":
            return
        if self._driver is not None and not self._driver.is_closed():
            return
        await self._unlisten()
        try:
            self._conn = await self._engine.connect()
            raw = await self._conn.get_raw_connection()
            self._driver = raw.driver_connection
            await self._driver.add_listener(facts.CHANNEL, lambda *_: self._wake.set())
        except Exception:  # noqa: BLE001 - the database may be down; the next pass tries again
            log.warning("the SLA scheduler cannot LISTEN for clock changes; it polls meanwhile")
            await self._unlisten()

    async def _unlisten(self) -> None:
        conn, self._conn, self._driver = self._conn, None, None
        if conn is not None:
            try:
                await conn.close()
            except Exception as exc:  # noqa: BLE001 - a dead connection is what we are getting rid of
                log.debug("closing the LISTEN connection: %s", exc)
