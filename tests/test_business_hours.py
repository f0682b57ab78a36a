"""Team opening hours with a controlled clock: weekends, nights, DST weekends, holidays, zones."""
from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chatbot.business_hours import BusinessHours, parse_hours
from chatbot.desk import Desk, TeamConfig, load_desk

PARIS = ZoneInfo("Europe/Paris")


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS)


def with_team(desk: Desk, name: str, **changes: object) -> Desk:
    teams = dict(desk.teams)
    teams[name] = replace(teams[name], **changes)  # type: ignore[arg-type]
    return replace(desk, teams=teams)


@pytest.fixture
def desk() -> Desk:
    return load_desk()


@pytest.fixture
def hours(desk: Desk) -> BusinessHours:
    return BusinessHours(desk)


# 2026-11-23 is a Monday; 2026-03-29 and 2026-10-25 are the EU DST change Sundays.

def test_billing_open_on_weekday_office_hours_only(hours: BusinessHours) -> None:
    assert not hours.is_open("billing", paris(2026, 11, 23, 8, 59))
    assert hours.is_open("billing", paris(2026, 11, 23, 9, 0))
    assert hours.is_open("billing", paris(2026, 11, 23, 17, 59))
    assert not hours.is_open("billing", paris(2026, 11, 23, 18, 0))


def test_friday_evening_and_weekend_reopen_on_monday_morning(hours: BusinessHours) -> None:
    monday = paris(2026, 11, 30, 9, 0)
    assert hours.next_opening("billing", paris(2026, 11, 27, 18, 0)) == monday
    assert not hours.is_open("billing", paris(2026, 11, 28, 12, 0))
    assert hours.next_opening("billing", paris(2026, 11, 28, 12, 0)) == monday
    assert hours.next_opening("billing", paris(2026, 11, 29, 23, 59)) == monday


def test_night_reopens_next_morning(hours: BusinessHours) -> None:
    assert not hours.is_open("sysadmins", paris(2026, 11, 24, 23, 30))
    assert hours.next_opening("sysadmins", paris(2026, 11, 24, 23, 30)) == paris(2026, 11, 25, 8, 0)
    assert hours.next_opening("sysadmins", paris(2026, 11, 25, 2, 0)) == paris(2026, 11, 25, 8, 0)
    assert hours.is_open("sysadmins", paris(2026, 11, 25, 21, 59))
    assert not hours.is_open("sysadmins", paris(2026, 11, 25, 22, 0))


def test_open_now_means_next_opening_is_now_and_closing_is_end_of_day(hours: BusinessHours) -> None:
    now = paris(2026, 11, 23, 10, 15)
    assert hours.next_opening("billing", now) == now
    assert hours.next_closing("billing", now) == paris(2026, 11, 23, 18, 0)
    # Closed: the closing reported is the end of the next opening.
    assert hours.next_closing("billing", paris(2026, 11, 28, 10, 0)) == paris(2026, 11, 30, 18, 0)


def test_result_is_in_team_zone_whatever_the_zone_of_now(hours: BusinessHours) -> None:
    opening = hours.next_opening("billing", datetime(2026, 11, 28, 3, 0, tzinfo=ZoneInfo("America/New_York")))
    assert opening == paris(2026, 11, 30, 9, 0)
    assert opening.tzinfo == PARIS and opening.tzname() == "CET"


def test_spring_forward_weekend_opens_at_nine_summer_time(hours: BusinessHours) -> None:
    opening = hours.next_opening("billing", paris(2026, 3, 27, 19, 0))
    assert opening.astimezone(UTC) == datetime(2026, 3, 30, 7, 0, tzinfo=UTC)  # 09:00 CEST
    assert opening.tzname() == "CEST"
    # Friday before the change is still winter time: 18:00 CET is 17:00 UTC.
    assert hours.next_closing("billing", paris(2026, 3, 27, 10, 0)).astimezone(UTC) == datetime(
        2026, 3, 27, 17, 0, tzinfo=UTC)
    assert not hours.is_open("billing", datetime(2026, 3, 30, 6, 59, tzinfo=UTC))
    assert hours.is_open("billing", datetime(2026, 3, 30, 7, 0, tzinfo=UTC))


def test_fall_back_weekend_opens_at_nine_winter_time(hours: BusinessHours) -> None:
    opening = hours.next_opening("sysadmins", paris(2026, 10, 23, 22, 30))
    assert opening.astimezone(UTC) == datetime(2026, 10, 26, 7, 0, tzinfo=UTC)  # 08:00 CET
    assert opening.tzname() == "CET"
    # On the Friday (still summer time) 20:30 UTC is 22:30 CEST: closed; 19:59 UTC is 21:59 CEST: open.
    assert not hours.is_open("sysadmins", datetime(2026, 10, 23, 20, 30, tzinfo=UTC))
    assert hours.is_open("sysadmins", datetime(2026, 10, 23, 19, 59, tzinfo=UTC))


def test_desk_wide_holiday_closes_business_hours_teams_but_not_24_7(desk: Desk) -> None:
    hours = BusinessHours(replace(desk, holidays=frozenset({date(2026, 12, 25)})))
    christmas = paris(2026, 12, 25, 11, 0)  # a Friday
    assert not hours.is_open("billing", christmas)
    assert hours.next_opening("billing", paris(2026, 12, 24, 18, 30)) == paris(2026, 12, 28, 9, 0)
    assert hours.is_open("support", christmas)


def test_holidays_passed_to_business_hours_and_per_team(desk: Desk) -> None:
    hours = BusinessHours(desk, holidays=[date(2026, 11, 11)])
    assert not hours.is_open("billing", paris(2026, 11, 11, 10, 0))
    assert hours.next_opening("billing", paris(2026, 11, 11, 10, 0)) == paris(2026, 11, 12, 9, 0)

    dc_only = BusinessHours(with_team(desk, "datacenter", holidays=frozenset({date(2026, 12, 7)})))
    assert not dc_only.is_open("datacenter", paris(2026, 12, 7, 10, 0))
    assert dc_only.is_open("billing", paris(2026, 12, 7, 10, 0))


def test_consecutive_holidays_are_skipped(desk: Desk) -> None:
    days = frozenset(date(2026, 12, d) for d in range(24, 32))
    hours = BusinessHours(replace(desk, holidays=days))
    assert hours.next_opening("billing", paris(2026, 12, 23, 20, 0)) == paris(2027, 1, 1, 9, 0)


def test_datacenter_uses_its_own_local_zone(desk: Desk) -> None:
    new_york = with_team(desk, "datacenter", timezone="America/New_York")
    hours = BusinessHours(new_york)
    # 16 March 2026: New York already on summer time (8 March), Paris not yet (29 March).
    assert not hours.is_open("datacenter", datetime(2026, 3, 16, 11, 59, tzinfo=UTC))  # 07:59 EDT
    assert hours.is_open("datacenter", datetime(2026, 3, 16, 12, 0, tzinfo=UTC))  # 08:00 EDT
    opening = hours.next_opening("datacenter", paris(2026, 3, 16, 9, 0))
    assert opening.tzname() == "EDT" and (opening.hour, opening.minute) == (8, 0)
    # The default desk: 08:00-17:00 local time in the datacenter's zone.
    default = BusinessHours(desk)
    assert default.is_open("datacenter", paris(2026, 11, 23, 16, 59))
    assert not default.is_open("datacenter", paris(2026, 11, 23, 17, 0))


def test_24_7_team_is_always_open(hours: BusinessHours) -> None:
    for at in (paris(2026, 11, 29, 3, 0), paris(2026, 3, 29, 2, 30), paris(2026, 12, 25, 23, 59)):
        assert hours.is_open("support", at)
        assert hours.next_opening("support", at) == at
        assert hours.next_closing("support", at) is None
        assert hours.first_response_eta("support", at) == at
    assert hours.is_always_open("support") and not hours.is_always_open("billing")


def test_first_response_eta_is_the_next_opening(hours: BusinessHours) -> None:
    assert hours.first_response_eta("billing", paris(2026, 11, 28, 10, 0)) == paris(2026, 11, 30, 9, 0)


def test_naive_datetime_is_refused(hours: BusinessHours) -> None:
    with pytest.raises(ValueError, match="aware"):
        hours.is_open("billing", datetime(2026, 11, 23, 10, 0))


def test_unknown_team_is_named(hours: BusinessHours) -> None:
    with pytest.raises(KeyError, match="accounting"):
        hours.is_open("accounting", paris(2026, 11, 23, 10, 0))


def test_bad_hours_and_zone_are_reported_with_the_team(desk: Desk) -> None:
    with pytest.raises(ValueError, match="teams.billing.hours"):
        BusinessHours(with_team(desk, "billing", hours="weekdays 9 to 6"))
    with pytest.raises(ValueError, match="teams.billing"):
        BusinessHours(with_team(desk, "billing", timezone="Europe/Atlantis"))
    with pytest.raises(ValueError, match="day"):
        parse_hours("Mon-Fro 09:00-18:00")


def test_several_windows_and_night_shift(desk: Desk) -> None:
    split = BusinessHours(with_team(desk, "billing", hours="Mon-Fri 09:00-12:00; Mon-Fri 13:00-18:00; Sat 10:00-14:00"))
    assert not split.is_open("billing", paris(2026, 11, 23, 12, 30))
    assert split.next_opening("billing", paris(2026, 11, 23, 12, 30)) == paris(2026, 11, 23, 13, 0)
    assert split.next_opening("billing", paris(2026, 11, 27, 19, 0)) == paris(2026, 11, 28, 10, 0)

    night = BusinessHours(with_team(desk, "sysadmins", hours="Mon-Fri 22:00-06:00"))
    assert night.is_open("sysadmins", paris(2026, 11, 24, 3, 0))  # Monday's shift, Tuesday morning
    assert night.next_closing("sysadmins", paris(2026, 11, 24, 3, 0)) == paris(2026, 11, 24, 6, 0)
    assert not night.is_open("sysadmins", paris(2026, 11, 23, 3, 0))  # Sunday had no shift

    back_to_back = BusinessHours(with_team(desk, "billing", hours="Mon-Fri 09:00-13:00; Mon-Fri 13:00-18:00"))
    assert back_to_back.next_closing("billing", paris(2026, 11, 23, 10, 0)) == paris(2026, 11, 23, 18, 0)


instants = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31),
                        timezones=st.just(UTC))


@settings(max_examples=200, deadline=None)
@given(at=instants, team=st.sampled_from(["billing", "datacenter", "sysadmins"]))
def test_next_opening_is_the_first_open_minute(at: datetime, team: str) -> None:
    hours = BusinessHours(load_desk())
    at = at.replace(second=0, microsecond=0)
    opening = hours.next_opening(team, at)
    assert opening >= at and hours.is_open(team, opening)
    if opening > at:
        assert not hours.is_open(team, opening - timedelta(minutes=1))
        assert not hours.is_open(team, at)
    closing = hours.next_closing(team, at)
    assert closing is not None and closing > opening
    assert hours.is_open(team, closing - timedelta(minutes=1)) and not hours.is_open(team, closing)


def test_team_config_default_has_no_holidays() -> None:
    assert TeamConfig("x", 1, "24/7", "UTC").holidays == frozenset()


def test_answers_stay_right_when_the_remembered_days_are_forgotten(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each team's days are remembered once computed; with room for only three, every answer over a
    month (a holiday, both weekends, two teams) is still what a fresh calendar gives."""
    from chatbot import business_hours

    desk = with_team(desk, "billing", holidays=frozenset({date(2026, 11, 26)}))
    monkeypatch.setattr(business_hours, "_DAYS_KEPT", 3)
    remembering = BusinessHours(desk)
    for hour in range(0, 24 * 30, 5):
        at = paris(2026, 11, 20) + timedelta(hours=hour)
        for team in ("billing", "datacenter"):
            fresh = BusinessHours(desk)
            assert (remembering.is_open(team, at), remembering.next_opening(team, at),
                    remembering.next_closing(team, at)) == (
                fresh.is_open(team, at), fresh.next_opening(team, at), fresh.next_closing(team, at)), (team, at)
    assert len(remembering._days) <= 3
