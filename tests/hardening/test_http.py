"""What the web server sends around every response: security headers, a strict CSP that still lets
the shipped pages work, refusal of oversized bodies, and pages that never render network text as HTML."""
from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import aiohttp

from chatbot.security import INLINE_ATTRIBUTE

PACKAGE = Path(__file__).resolve().parents[2] / "chatbot"
PAGES = sorted(PACKAGE.rglob("*.html"))
OWN_SCRIPTS = sorted(p for p in PACKAGE.rglob("*.js") if "vendor" not in p.parts)


def directives(policy: str) -> dict[str, list[str]]:
    out = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


async def test_pages_carry_security_headers_and_a_strict_policy(server: str) -> None:
    async with aiohttp.ClientSession() as http, http.get(f"{server}/") as page:
        assert page.status == 200
        html = await page.text()
        h = page.headers
    assert h["X-Content-Type-Options"] == "nosniff" and h["X-Frame-Options"] == "DENY"
    assert h["Referrer-Policy"] == "no-referrer" and h["Cross-Origin-Resource-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in h, "HSTS over plain HTTP would lock out a test setup"
    csp = directives(h["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"] and csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"] and csp["base-uri"] == ["'none'"]
    for name in ("script-src", "style-src"):
        assert "'unsafe-inline'" not in csp[name] and "'unsafe-eval'" not in csp[name]
        assert not any(src.startswith(("http:", "https:", "*")) for src in csp[name]), "same origin only"
    # The page's own inline style is allowed by its hash, so the page looks as designed.
    for style in re.findall(r"<style[^>]*>(.*?)</style>", html, re.DOTALL):
        digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp["style-src"]


async def test_the_widget_script_is_embeddable_elsewhere_and_json_is_locked_down(server: str) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{server}/static/widget.js") as js:
            assert js.status == 200
            assert js.headers["Cross-Origin-Resource-Policy"] == "cross-origin"
            assert js.headers["X-Content-Type-Options"] == "nosniff"
        async with http.get(f"{server}/healthz") as api:
            assert api.headers["Content-Security-Policy"].startswith("default-src 'none'")
            assert api.headers["Cache-Control"] == "no-store"


async def test_hsts_only_when_a_trusted_proxy_says_tls(make_app) -> None:
    running = await make_app(trusted_proxies="127.0.0.1")
    async with aiohttp.ClientSession() as http, \
            http.get(f"{running.url}/", headers={"X-Forwarded-Proto": "https"}) as r:
        assert r.headers["Strict-Transport-Security"].startswith("max-age=")
    untrusted = await make_app(trusted_proxies="10.0.0.0/8")
    async with aiohttp.ClientSession() as http, \
            http.get(f"{untrusted.url}/", headers={"X-Forwarded-Proto": "https"}) as r:
        assert "Strict-Transport-Security" not in r.headers


async def test_an_oversized_body_is_refused_before_it_is_read(make_app) -> None:
    running = await make_app(max_body_bytes=1024)
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{running.url}/socket.io/?EIO=4&transport=polling", data=b"x" * 5000) as r:
            assert r.status == 413
        async with http.get(f"{running.url}/healthz") as r:
            assert r.status == 200, "the server is fine after refusing it"


def test_no_shipped_page_needs_inline_handlers_or_style_attributes() -> None:
    assert PAGES, "the demo page at least"
    offenders = [str(p) for p in PAGES if INLINE_ATTRIBUTE.search(p.read_text(encoding="utf-8"))]
    assert not offenders, f"the CSP blocks inline handlers/style attributes in {offenders}"


def test_shipped_scripts_render_network_text_as_text() -> None:
    """The widget and the console show what customers and agents wrote: as text, never as HTML."""
    assert OWN_SCRIPTS, "the widget at least"
    sinks = re.compile(r"\.innerHTML\s*[+]?=|\.outerHTML\s*=|insertAdjacentHTML|document\.write|"
                       r"\beval\s*\(|new\s+Function\s*\(|setTimeout\s*\(\s*['\"]")
    found = {str(p): sinks.findall(p.read_text(encoding="utf-8")) for p in OWN_SCRIPTS}
    assert not {k: v for k, v in found.items() if v}, found
    widget = (PACKAGE / "static" / "widget.js").read_text(encoding="utf-8")
    assert "textContent" in widget
