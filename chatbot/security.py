"""HTTP hardening: security headers, a strict Content-Security-Policy, request body limits.

The pages (demo site, widget, agent console) load only same-origin scripts and styles. Inline
`<script>`/`<style>` blocks in the shipped HTML files are allowed by their SHA-256 hash, computed
at start from the files themselves, so editing a page never needs a policy edit and nothing else
inline (an injected script, an event-handler attribute) can run. Headers are set in
`on_response_prepare`, which also sees file, WebSocket and error responses that a middleware's
return path would miss.
"""
from __future__ import annotations

import base64
import hashlib
import logging
import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp.typedefs import Handler

from chatbot.ratelimit import Networks, in_networks

log = logging.getLogger(__name__)
_INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
_INLINE_STYLE = re.compile(r"<style\b[^>]*>(.*?)</style\s*>", re.IGNORECASE | re.DOTALL)
# Inline handlers and style attributes cannot be allowed by a hash without 'unsafe-hashes'.
INLINE_ATTRIBUTE = re.compile(r"<[^>]*\s(on[a-z]+|style)\s*=", re.IGNORECASE)
_HOST = re.compile(r"^[A-Za-z0-9.\-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$")
# Third-party sites embed the widget with <script src=".../static/widget.js">: those files must be
# loadable cross-origin; everything else is for our own pages only.
EMBEDDABLE = ("/static/",)
FIXED_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"


def same_origin(origin: str | None, *hosts: str | None) -> bool:
    """True when a request's Origin header names this server (or is absent: same-origin GETs and
    non-browser clients send none; a browser making a cross-site request always sends it)."""
    if origin is None:
        return True
    if origin == "null":  # sandboxed frames, data: URLs, some redirects: never our own pages
        return False
    netloc = urlsplit(origin).netloc.lower()
    return any(netloc == (h or "").lower() for h in hosts if h)


def _hash(content: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(content.encode("utf-8")).digest()).decode() + "'"


def inline_hashes(roots: Iterable[Path]) -> tuple[list[str], list[str]]:
    """Hash sources for the inline scripts and styles of every HTML file under `roots`."""
    scripts: set[str] = set()
    styles: set[str] = set()
    for root in roots:
        for page in sorted(Path(root).rglob("*.html")):
            html = page.read_text(encoding="utf-8", errors="replace")
            scripts.update(_hash(body) for body in _INLINE_SCRIPT.findall(html) if body.strip())
            styles.update(_hash(body) for body in _INLINE_STYLE.findall(html))
            if INLINE_ATTRIBUTE.search(html):
                log.warning("%s has an inline event handler or style attribute; the CSP blocks it", page)
    return sorted(scripts), sorted(styles)


class HttpHardening:
    def __init__(self, html_roots: Iterable[Path], *, max_body_bytes: int,
                 trusted_proxies: Networks = ()) -> None:
        scripts, styles = inline_hashes(html_roots)
        self.script_src = " ".join(["'self'", *scripts])
        self.style_src = " ".join(["'self'", *styles])
        self.max_body_bytes = max_body_bytes
        self.trusted_proxies = trusted_proxies

    def page_policy(self, request: web.BaseRequest) -> str:
        # 'self' covers ws:/wss: to the same host in CSP3 browsers; older ones need it spelled out.
        host = request.host if _HOST.match(request.host or "") else ""
        sockets = f" ws://{host} wss://{host}" if host else ""
        return ("default-src 'self'; "
                f"script-src {self.script_src}; style-src {self.style_src}; "
                f"img-src 'self' data:; font-src 'self'; connect-src 'self'{sockets}; "
                "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")

    def is_secure(self, request: web.BaseRequest) -> bool:
        """TLS at this server, or at a trusted reverse proxy that says so."""
        if request.secure:
            return True
        return (in_networks(request.remote or "", self.trusted_proxies)
                and request.headers.get("X-Forwarded-Proto", "").lower() == "https")

    async def on_prepare(self, request: web.BaseRequest, response: web.StreamResponse) -> None:
        headers = response.headers
        for name, value in FIXED_HEADERS.items():
            headers.setdefault(name, value)
        is_html = (response.content_type or "").startswith("text/html")
        headers.setdefault("Content-Security-Policy", self.page_policy(request) if is_html else API_POLICY)
        embeddable = request.path.startswith(EMBEDDABLE)
        headers.setdefault("Cross-Origin-Resource-Policy", "cross-origin" if embeddable else "same-origin")
        if not embeddable:  # answers about conversations and agents must not sit in shared caches
            headers.setdefault("Cache-Control", "no-store")
        if self.is_secure(request):
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")

    @web.middleware
    async def limit_body(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Refuse an oversized body before anyone reads it (aiohttp's own limit only applies when a
        handler reads the whole body; a streaming reader would not be stopped)."""
        length = request.content_length
        if length is not None and length > self.max_body_bytes:
            raise web.HTTPRequestEntityTooLarge(max_size=self.max_body_bytes, actual_size=length)
        return await handler(request)

    @web.middleware
    async def refuse_cross_site(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """CSRF: a state-changing request must come from our own pages. The agents' session cookie
        is SameSite=Strict already; this also covers same-site subdomains and older browsers.
        Socket.IO checks its own handshake (the chat is embedded on other sites on purpose)."""
        if request.method in UNSAFE_METHODS and not request.path.startswith("/socket.io/"):
            origin = request.headers.get("Origin")
            if not same_origin(origin, request.host, request.headers.get("X-Forwarded-Host")) or \
                    request.headers.get("Sec-Fetch-Site") == "cross-site":
                return web.json_response({"error": {"code": "cross_origin"}}, status=403)
        return await handler(request)

    def install(self, app: web.Application) -> None:
        app.middlewares.append(self.refuse_cross_site)
        app.middlewares.append(self.limit_body)
        app.on_response_prepare.append(self.on_prepare)
