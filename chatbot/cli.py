"""The `chatbot` command: serve, db upgrade, demo, analyze, score, agents, customers, sla."""
from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import sys

from chatbot.settings import Settings, SettingsError, load_settings


GC_YOUNG_THRESHOLD = 20_000


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    from aiohttp import web

    from chatbot.app import build_app
    from chatbot.db import connections_problem
    from chatbot.migrate import schema_problem

    async def check() -> tuple[str | None, str | None]:
        return (await schema_problem(settings.database_url),
                await connections_problem(settings.database_url, settings.database_pool_size,
                                          settings.database_max_overflow))

    # Every chat turn relies on the schema (tables, stored functions): refuse to start without it
    # rather than acknowledge messages and fail every turn. Too few connections is a warning, not a
    # refusal: other processes may close theirs before this one needs them all.
    problem, shortfall = asyncio.run(check())
    if problem:
        print(f"chatbot: {problem}", file=sys.stderr)
        return 2
    app = build_app(settings)
    # What start-up built (models, catalogues, profiles: ~1 M objects) lives as long as the process:
    # out of the collector's sight, a full collection no longer walks it while visitors wait.
    gc.collect()
    gc.freeze()
    # A chat turn allocates and frees a few thousand objects. At the default threshold (700 not yet
    # freed) their passing peaks start a young collection several times a turn; every tenth of those
    # also collects the middle generation, and every hundredth is a full collection, which walks every
    # connected visitor's objects (~130 ms with 1,000 visitors). Reference counting frees nearly all
    # of it anyway: the same memory with 20,000 (docs/benchmarks.md, "Session 6").
    gc.set_threshold(GC_YOUNG_THRESHOLD, 10, 10)
    logging.getLogger(__name__).info("settings: %s", settings.redacted())
    if shortfall:
        logging.getLogger(__name__).warning("%s", shortfall)
    web.run_app(app, host=args.host or settings.host, port=args.port or settings.port,
                print=lambda msg: print(msg, flush=True), loop=_event_loop())
    return 0


def _event_loop() -> asyncio.AbstractEventLoop:
    """uvloop where it is installed: the same asyncio, with a faster loop and socket I/O (a few per
    cent less CPU per chat turn, measured in docs/benchmarks.md)."""
    try:
        import uvloop
    except ImportError:
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


def _db_upgrade(settings: Settings, args: argparse.Namespace) -> int:
    from chatbot.migrate import upgrade_blocking

    upgrade_blocking(settings.database_url)
    print("database is up to date")
    return 0


def _demo(settings: Settings, args: argparse.Namespace) -> int:
    from chatbot.db import create_engine, session_factory
    from chatbot.demo import load_demo_data

    async def run() -> bool:
        engine = create_engine(settings.database_url)
        try:
            return await load_demo_data(session_factory(engine))
        finally:
            await engine.dispose()

    print("demo data loaded" if asyncio.run(run()) else "customers already present: demo data not loaded")
    return 0


def _analyze(settings: Settings, args: argparse.Namespace) -> int:
    from chatbot.desk import load_desk
    from chatbot.understanding import Analyzer, analyze_stream

    analyze_stream(sys.stdin, sys.stdout, Analyzer(load_desk(settings.desk_file or None)))
    return 0


def _score(settings: Settings, args: argparse.Namespace) -> int:
    from chatbot.desk import load_desk
    from chatbot.understanding import Analyzer, score_file

    score_file(args.file, sys.stdout, Analyzer(load_desk(settings.desk_file or None)))
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="chatbot", description="INTROSERV support assistant")
    sub = p.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the web server (chat widget, Socket.IO, email channel)")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.set_defaults(run=_serve)
    db = sub.add_parser("db", help="database schema")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="apply all migrations").set_defaults(run=_db_upgrade)
    sub.add_parser("demo", help="load demo customers when the database has none").set_defaults(run=_demo)
    sub.add_parser("analyze", help="JSON lines on stdin -> intake labels on stdout").set_defaults(run=_analyze)
    score = sub.add_parser("score", help="accuracy of analyze over a labelled JSON lines file")
    score.add_argument("file")
    score.set_defaults(run=_score)
    from chatbot.agents.cli import register as register_agents

    register_agents(sub)  # chatbot agents add|list
    from chatbot.customers_import import register as register_customers
    from chatbot.sla_report import register as register_sla

    register_customers(sub)  # chatbot customers import FILE
    register_sla(sub)  # chatbot sla report --since …
    from chatbot.channels.email.cli import register as register_mail

    register_mail(sub)  # chatbot mail list|rerun
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"chatbot: {exc}", file=sys.stderr)
        return 2
    from chatbot.logs import configure
    from chatbot.settings import SECRET_FIELDS

    # One JSON object per line on stderr, secrets masked (the configured values themselves too).
    configure(settings.log_level, secrets=tuple(str(getattr(settings, f)) for f in SECRET_FIELDS))
    return int(args.run(settings, args))


if __name__ == "__main__":
    sys.exit(main())
