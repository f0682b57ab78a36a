"""Slowing down password guessing: failed logins per account and per client address.

The counters live in the database, so every process of the desk shares them. A few mistakes cost
nothing; after that each failure doubles the wait before the next attempt is even checked, up to a
quarter of an hour. A success clears the account's counter (not the address's: one address trying
many accounts is exactly what must stay slow). Counters are forgotten after a quiet hour.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from chatbot.agents.models import LoginFailure


@dataclass(frozen=True)
class ThrottlePolicy:
    free_failures: int = 3  # typos happen; the fourth failure in a row starts the waits
    first_wait: timedelta = timedelta(seconds=2)
    longest_wait: timedelta = timedelta(minutes=15)
    forget_after: timedelta = timedelta(hours=1)

    def wait_after(self, failures: int) -> timedelta:
        if failures <= self.free_failures:
            return timedelta(0)
        doubled: timedelta = self.first_wait * int(2 ** min(failures - self.free_failures - 1, 20))
        return min(doubled, self.longest_wait)


def keys_for(email: str, client_ip: str | None) -> list[str]:
    keys = [f"email:{email.strip().lower()[:320]}"]
    if client_ip:
        keys.append(f"ip:{client_ip[:64]}")
    return keys


class LoginThrottle:
    def __init__(self, policy: ThrottlePolicy = ThrottlePolicy()) -> None:
        self.policy = policy

    async def retry_after(self, session: AsyncSession, keys: list[str], now: datetime) -> float:
        """Seconds before another attempt may be checked (0: go ahead)."""
        rows = (await session.scalars(select(LoginFailure).where(LoginFailure.key.in_(keys)))).all()
        waits = [(r.blocked_until - now).total_seconds() for r in rows
                 if r.blocked_until is not None and now - r.last_failed_at < self.policy.forget_after]
        return max([0.0, *waits])

    async def failed(self, session: AsyncSession, keys: list[str], now: datetime) -> None:
        """Count one failed (or not yet checked) attempt on every key."""
        dialect = session.get_bind().dialect.name
        insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
        for key in keys:
            # Create the counter if missing without racing another process doing the same.
            await session.execute(insert(LoginFailure).values(key=key, failures=0, last_failed_at=now)
                                  .on_conflict_do_nothing(index_elements=["key"]))
            row = await session.get(LoginFailure, key, with_for_update=True, populate_existing=True)
            assert row is not None
            stale = now - row.last_failed_at >= self.policy.forget_after
            row.failures = 1 if stale else row.failures + 1
            row.last_failed_at = now
            row.blocked_until = now + self.policy.wait_after(row.failures)

    async def succeeded(self, session: AsyncSession, email: str, other_keys: list[str], now: datetime) -> None:
        """Clear the account's counter; take back the attempt counted in advance on the others."""
        await session.execute(delete(LoginFailure).where(LoginFailure.key == keys_for(email, None)[0]))
        for key in other_keys:
            row = await session.get(LoginFailure, key, with_for_update=True)
            if row is not None:
                row.failures = max(row.failures - 1, 0)
                row.blocked_until = row.last_failed_at + self.policy.wait_after(row.failures)

    async def forget_stale(self, session: AsyncSession, now: datetime) -> None:
        await session.execute(delete(LoginFailure).where(
            LoginFailure.last_failed_at < now - self.policy.forget_after))
