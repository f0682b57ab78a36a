"""The strict Content-Security-Policy in a real Chromium: the demo page and its widget work with no
violation at all, a visitor's markup is shown as text, and markup injected into the page by any
means cannot run script."""
from __future__ import annotations

from typing import Any

from playwright.async_api import expect

from tests.browser.conftest import browser  # noqa: F401  (real Chromium fixture)

WIDGET = "#introserv-chat"
RECORD = """
window.__violations = [];
document.addEventListener("securitypolicyviolation",
    e => window.__violations.push(e.violatedDirective + " " + e.blockedURI));
"""
HOSTILE = "<img src=x onerror=\"window.__pwned=1\"><script>window.__pwned=2</script> what are your hours?"


async def test_the_page_works_under_the_policy_and_injected_markup_cannot_run(browser: Any, server: str) -> None:  # noqa: F811
    page = await browser.new_page()
    await page.add_init_script(RECORD)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    response = await page.goto(f"{server}/")
    assert response is not None and "script-src 'self'" in response.headers["content-security-policy"]

    await page.locator(f"{WIDGET} .bubble").click()
    await expect(page.locator(f"{WIDGET} .panel")).to_be_visible()
    position = await page.locator(f"{WIDGET} .bubble").evaluate("b => getComputedStyle(b).position")
    assert position == "fixed", "the widget's stylesheet loaded under the policy"
    box = page.locator(f"{WIDGET} textarea")
    await box.fill(HOSTILE)
    await box.press("Enter")
    await expect(page.locator(f"{WIDGET} .msg.kind-answer").first).to_be_visible(timeout=15_000)
    shown = await page.locator(f"{WIDGET} .msg .text").first.text_content()
    assert shown == HOSTILE, "the visitor's markup is shown as text"
    assert await page.evaluate("window.__pwned") is None
    assert await page.evaluate("window.__violations") == [], "nothing our own pages do is blocked"
    assert not [e for e in errors if "Content Security Policy" in e]

    # Whatever slipped markup into the page: its inline handler and inline script are blocked.
    await page.evaluate("""() => {
        document.body.insertAdjacentHTML('beforeend', '<img src="data:," onload="window.__inline=1">');
        const s = document.createElement('script'); s.textContent = 'window.__inline = 2';
        document.body.appendChild(s);
    }""")
    await page.wait_for_function("window.__violations.length >= 2")
    assert await page.evaluate("window.__inline") is None
    await page.close()
