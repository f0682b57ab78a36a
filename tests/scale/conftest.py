"""Fixtures of the multi-process tests: a PostgreSQL database of their own and a reachable Redis."""
from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from tests.scale.cluster import create_database, drop_database, redis_available
from tests.servers._common import unavailable


@pytest.fixture
def scale_database() -> Iterator[str]:
    """A fresh, migrated PostgreSQL database for one test's processes (dropped afterwards); the test
    is skipped (failed under CI) when PostgreSQL or Redis is not there."""
    try:
        url = asyncio.run(create_database())
    except OSError as exc:
        unavailable(f"PostgreSQL ({exc})")
    problem = asyncio.run(redis_available())
    if problem:
        asyncio.run(drop_database(url))
        unavailable(problem)
    yield url
    asyncio.run(drop_database(url))
