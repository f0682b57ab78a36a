"""The help desk's configuration: teams, their hours, promises and intent routing (desk.toml)."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

DEFAULT_DESK_FILE = Path(__file__).with_name("desk.toml")
DEPARTMENTS = ("technical", "billing")
PRIORITIES = ("high", "regular")
RESOLUTION_KINDS = ("simple", "standard", "complex", "nonstandard")


class DeskConfigError(ValueError):
    """The desk file is unreadable or inconsistent; the message names the faulty entry."""


@dataclass(frozen=True)
class Route:
    department: str | None
    team: str | None
    priority: str | None
    resolution: str | None = None


NO_ROUTE = Route(None, None, None, None)


@dataclass(frozen=True)
class TeamConfig:
    name: str
    level: int
    hours: str  # "24/7" or "Mon-Fri 09:00-18:00"
    timezone: str
    email: str | None = None
    # Public holidays of this team only (e.g. the datacenter's country), on top of the desk-wide ones.
    holidays: frozenset[date] = frozenset()


@dataclass(frozen=True)
class Promises:
    ack_chat_seconds: int
    ack_email_seconds: int
    first_response_seconds: int
    update_interval_seconds: dict[str, int]
    warning_before_seconds: int


@dataclass(frozen=True)
class Desk:
    promises: Promises
    teams: dict[str, TeamConfig]
    routing: dict[str, Route]
    holidays: frozenset[date] = field(default_factory=frozenset)

    def route(self, intent: str, total_outage: bool = False) -> Route:
        """Department, team and priority for an intent; unknown or conversational intents get none."""
        route = self.routing.get(intent)
        if route is None:
            return NO_ROUTE
        if total_outage and route.priority != "high":
            return Route(route.department, route.team, "high", route.resolution)
        return route


def load_desk(path: Path | str | None = None) -> Desk:
    path = Path(path) if path else DEFAULT_DESK_FILE
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DeskConfigError(f"cannot read desk file {path}: {exc}") from exc
    return parse_desk(raw, str(path))


def parse_desk(raw: dict[str, Any], source: str = "desk") -> Desk:
    try:
        p = raw["promises"]
        promises = Promises(
            ack_chat_seconds=int(p["ack_chat_seconds"]),
            ack_email_seconds=int(p["ack_email_seconds"]),
            first_response_seconds=int(p["first_response_seconds"]),
            update_interval_seconds={k: int(v) for k, v in p["update_interval_seconds"].items()},
            warning_before_seconds=int(p.get("warning_before_seconds", 0)),
        )
        teams = {
            name: TeamConfig(
                name, int(t["level"]), str(t["hours"]), str(t["timezone"]), t.get("email"),
                frozenset(date.fromisoformat(d) for d in t.get("holidays", [])),
            )
            for name, t in raw["teams"].items()
        }
        routing: dict[str, Route] = {}
        for intent, r in raw["routing"].items():
            route = Route(r["department"], r["team"], r["priority"], r.get("resolution"))
            if route.department not in DEPARTMENTS:
                raise DeskConfigError(f"{source}: routing.{intent}: unknown department {route.department!r}")
            if route.team not in teams:
                raise DeskConfigError(f"{source}: routing.{intent}: unknown team {route.team!r}")
            if route.priority not in PRIORITIES:
                raise DeskConfigError(f"{source}: routing.{intent}: unknown priority {route.priority!r}")
            if route.resolution is not None and route.resolution not in RESOLUTION_KINDS:
                raise DeskConfigError(f"{source}: routing.{intent}: unknown resolution {route.resolution!r}")
            routing[intent] = route
        holidays = frozenset(date.fromisoformat(d) for d in raw.get("holidays", {}).get("dates", []))
    except DeskConfigError:
        raise
    except (KeyError, TypeError, ValueError) as exc:
        raise DeskConfigError(f"{source}: missing or invalid entry: {exc}") from exc
    return Desk(promises, teams, routing, holidays)
