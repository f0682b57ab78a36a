"""A real Chromium (Debian's package) driven by Playwright against the real app.

Nothing is downloaded: Playwright is told where the system's Chromium is. Without Chromium or
Playwright the tests are skipped on a developer machine and fail under CI (tests/servers/_common.py).
Set CHATBOT_SCREENSHOTS=docs/screenshots to refresh the documentation's screenshots while testing.
"""
from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests.agents.conftest import PASSWORD, make_agent  # noqa: F401  (the fixture, shared)
from tests.servers._common import unavailable

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def chromium_path() -> str | None:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium") or "", "/usr/bin/chromium-browser"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    try:
        from playwright.async_api import async_playwright
    except ImportError:
        unavailable("Playwright for Python is not installed (pip install -e '.[test]')")
    path = chromium_path()
    if path is None:
        unavailable("Chromium is not installed (apt-get install chromium; scripts/test-services.sh does it)")
    async with async_playwright() as p:
        b = await p.chromium.launch(executable_path=path, args=ARGS)
        try:
            yield b
        finally:
            await b.close()


@pytest.fixture
def screenshot(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    """Save a page's picture: into CHATBOT_SCREENSHOTS when set (once, from the SQLite run), else tmp."""
    wanted = os.environ.get("CHATBOT_SCREENSHOTS")
    target = Path(wanted) if wanted and "sqlite" in request.node.name else tmp_path

    async def take(page: Any, name: str) -> Path:
        target.mkdir(parents=True, exist_ok=True)
        path = target / f"{name}.png"
        await page.screenshot(path=str(path))
        return path
    return take
