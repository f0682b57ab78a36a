"""`chatbot agents add|list`: the people who may log into the agent console.

The password is never an argument (it would stay in the shell history and in `ps`): it is asked
twice on a terminal, or read from the first line of standard input with ``--password-stdin``.
"""
from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from typing import TYPE_CHECKING

from chatbot.agents.models import ROLES

if TYPE_CHECKING:
    from chatbot.settings import Settings


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    agents = sub.add_parser("agents", help="agent console accounts")
    agents_sub = agents.add_subparsers(dest="agents_command", required=True)
    add = agents_sub.add_parser("add", help="create an agent, or update one with the same email")
    add.add_argument("--name", required=True, help="shown to visitors when the agent joins a chat")
    add.add_argument("--email", required=True, help="the login")
    add.add_argument("--teams", default="support", help="comma-separated desk teams (desk.toml), e.g. support,billing")
    add.add_argument("--role", default="agent", choices=ROLES, help="admin may also release or close others' chats")
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    add.set_defaults(run=_add)
    agents_sub.add_parser("list", help="list the agents").set_defaults(run=_list)


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin or not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Password again: "):
        raise ValueError("the two passwords differ")
    return first


def _add(settings: Settings, args: argparse.Namespace) -> int:
    from chatbot.agents.auth import AgentAuth
    from chatbot.db import create_engine, session_factory
    from chatbot.desk import load_desk

    teams = [t.strip() for t in args.teams.split(",") if t.strip()]
    known = load_desk(settings.desk_file or None).teams
    unknown = [t for t in teams if t not in known]
    if unknown or not teams:
        print(f"chatbot: unknown team(s) {', '.join(unknown) or '(none given)'}; known: {', '.join(known)}",
              file=sys.stderr)
        return 2
    try:
        password = _password(args)

        async def run() -> str:
            engine = create_engine(settings.database_url)
            try:
                agent = await AgentAuth(session_factory(engine)).add_agent(
                    name=args.name, email=args.email, teams=teams, role=args.role, password=password)
                return f"agent {agent.email} ({agent.name}, {agent.role}; teams: {', '.join(agent.teams)}) is ready"
            finally:
                await engine.dispose()

        print(asyncio.run(run()))
    except ValueError as exc:
        print(f"chatbot: {exc}", file=sys.stderr)
        return 2
    return 0


def _list(settings: Settings, args: argparse.Namespace) -> int:
    from chatbot.agents.auth import AgentAuth
    from chatbot.db import create_engine, session_factory

    async def run() -> None:
        engine = create_engine(settings.database_url)
        try:
            for a in await AgentAuth(session_factory(engine)).list_agents():
                print(f"{a.email}\t{a.name}\t{a.role}\t{','.join(a.teams)}")
        finally:
            await engine.dispose()

    asyncio.run(run())
    return 0
