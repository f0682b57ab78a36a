"""Clocks across weekends, nights, DST changes and holidays.

The acknowledgement and the first human response run at any hour (support engineers are there
24/7); the status-update clock of a ticket counts only the handling team's business hours, in the
team's own time zone, holidays excluded.
"""
from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from chatbot.business_hours import BusinessHours
from chatbot.desk import Route, load_desk
from chatbot.models import OutboxMail
from chatbot.sla import SlaScheduler, record_ack, record_human_response
from chatbot.sla_clocks import TABLE
from chatbot.sla_time import Calendar
from tests.sla_fakes import WAIT, FakeClock, make_ticket, settle

PARIS = ZoneInfo("Europe/Paris")
DESK = load_desk()
BILLING = Route("billing", "billing", "regular", "simple")  # 4 h between status updates
SYSADMINS = Route("technical", "sysadmins", "regular", "standard")
SUPPORT = Route("technical", "support", "regular", "standard")


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS)


async def due_times(sessions: Any, desk: Any, at: datetime, route: Route) -> dict[str, datetime]:
    ticket = await make_ticket(sessions, at, channel="email", route=route)
    sched = SlaScheduler(sessions, desk, BusinessHours(desk), management_email="m@example.com",
                         clock=FakeClock(at))
    await sched.run_pass(at)
    async with sessions() as db:
        rows = (await db.execute(select(TABLE).where(TABLE.c.ticket_id == ticket.id))).all()
    # In UTC: an instant of the repeated hour in Paris never equals an instant of another zone (PEP 495).
    return {r.kind: r.due_at for r in rows}


@pytest.mark.parametrize("received,route,update_due", [
    # Billing, Friday 17:55 CET: 5 minutes on Friday, the other 3 h 55 from Monday 09:00.
    (paris(2026, 11, 20, 17, 55), BILLING, paris(2026, 11, 23, 12, 55)),
    # Saturday night: nothing counts before Monday 09:00.
    (paris(2026, 11, 21, 23, 0), BILLING, paris(2026, 11, 23, 13, 0)),
    # System administrators, Friday 21:00 before the autumn DST change (CEST → CET on Sunday 25
    # October): 1 h on Friday, 3 h from Monday 08:00 CET.
    (paris(2026, 10, 23, 21, 0), SYSADMINS, paris(2026, 10, 26, 11, 0)),
    # Billing, Friday 17:00 before the spring change (CET → CEST on Sunday 29 March): Monday 12:00 CEST.
    (paris(2026, 3, 27, 17, 0), BILLING, paris(2026, 3, 30, 12, 0)),
    # Support engineers work 24/7: exactly 4 real hours, across the night the clocks go back.
    (datetime(2026, 10, 25, 0, 30, tzinfo=UTC), SUPPORT, datetime(2026, 10, 25, 4, 30, tzinfo=UTC)),
])
async def test_status_updates_are_owed_in_the_teams_business_hours(sessions, received, route, update_due) -> None:
    due = await due_times(sessions, DESK, received, route)
    assert due["update"] == update_due
    assert due["ack"] == received + timedelta(seconds=120), "the email acknowledgement: 2 minutes, any hour"
    assert due["first_response"] == received + timedelta(minutes=10), "the first response: 10 minutes, any hour"


async def test_a_public_holiday_is_not_a_working_day(sessions) -> None:
    desk = replace(DESK, holidays=frozenset({date(2026, 12, 25)}))
    # Thursday 24 December 16:00: 2 h on Thursday, Friday is Christmas, then the weekend.
    due = await due_times(sessions, desk, paris(2026, 12, 24, 16, 0), BILLING)
    assert due["update"] == paris(2026, 12, 28, 11, 0)
    without = await due_times(sessions, DESK, paris(2026, 12, 24, 16, 0), BILLING)
    assert without["update"] == paris(2026, 12, 25, 11, 0), "the same ticket without the holiday"


def test_calendar_counts_only_opening_hours() -> None:
    hours = BusinessHours(DESK)
    billing = Calendar(hours, "billing")
    week = billing.seconds(paris(2026, 11, 16, 0, 0), paris(2026, 11, 23, 0, 0))
    assert week == 5 * 9 * 3600, "Monday to Friday, 09:00-18:00"
    assert Calendar(hours, "support").seconds(paris(2026, 11, 21, 0, 0), paris(2026, 11, 22, 0, 0)) == 86400
    assert billing.add(paris(2026, 11, 20, 17, 55), 4 * 3600) == paris(2026, 11, 23, 12, 55)


async def test_a_billing_ticket_on_friday_evening_alerts_on_monday_not_during_the_weekend(sessions) -> None:
    received = paris(2026, 11, 20, 17, 55)
    clock = FakeClock(received.astimezone(UTC))
    ticket = await make_ticket(sessions, received, channel="email", route=BILLING)
    sched = SlaScheduler(sessions, DESK, BusinessHours(DESK), management_email="m@example.com", clock=clock,
                         poll_seconds=7 * 86400)
    await sched.start()
    try:
        async with sessions() as db:  # acknowledged and answered by the support engineers at 18:01
            await record_ack(db, ticket.conversation_id, received + timedelta(seconds=40))
            await record_human_response(db, ticket.conversation_id, paris(2026, 11, 20, 18, 1))
            await db.commit()
        await settle(sched, clock)
        # The answer came after billing's closing time: the 4 hours start on Monday at 09:00.
        assert await clock.wait_sleepers(lambda w: len(w) == 1) == [paris(2026, 11, 23, 12, 58)]
        for moment in (paris(2026, 11, 21, 12, 0), paris(2026, 11, 22, 23, 59)):  # the weekend
            clock.advance_to(moment)
            await settle(sched, clock)
        async with sessions() as db:
            assert (await db.scalars(select(OutboxMail).where(OutboxMail.kind == "alert"))).all() == []
        clock.advance_to(paris(2026, 11, 23, 12, 58))
        await asyncio.wait_for(sched.passed(clock.now()), WAIT)
        async with sessions() as db:
            [warning] = (await db.scalars(select(OutboxMail).where(OutboxMail.kind == "alert"))).all()
        assert warning.subject == (f"SLA warning: ticket {ticket.number}, status update due "
                                   "Monday 23 November 2026 13:00 CET")
    finally:
        await sched.stop()
