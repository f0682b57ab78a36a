"""The agents' HTTP side: the console page, login and logout, and the page texts per language.

The session token travels in an HttpOnly, SameSite=Strict cookie: the console's JavaScript never
sees it (an injected script could not steal it), the browser sends it with the Socket.IO handshake,
and another site cannot make the browser use it. Login only accepts JSON, which a cross-site form
cannot send.
"""
from __future__ import annotations

from http.cookies import CookieError, SimpleCookie
from pathlib import Path
from typing import Any

from aiohttp import web

from chatbot.agents.auth import AgentAuth, AgentIdentity, LoginError
from chatbot.agents.ui import PAGES, page_texts
from chatbot.i18n import LANGUAGES

COOKIE = "isv_agent"
STATIC = Path(__file__).resolve().parent.parent / "static"
# The console runs only its own files: an injected <script> or inline handler would not run.
CONSOLE_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
               "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")


def token_from_cookie_header(header: str | None) -> str | None:
    if not header:
        return None
    cookie: SimpleCookie = SimpleCookie()
    try:
        cookie.load(header)
    except CookieError:  # a malformed Cookie header is no session
        return None
    morsel = cookie.get(COOKIE)
    return morsel.value if morsel else None


def _behind_tls(request: web.Request) -> bool:
    """TLS here or at the reverse proxy in front. Believing the header from anyone is safe for this
    use: it can only make the cookie stricter (Secure), never looser."""
    return request.secure or request.headers.get("X-Forwarded-Proto", "").lower() == "https"


def _error(status: int, code: str, **extra: Any) -> web.Response:
    return web.json_response({"error": {"code": code, **extra}}, status=status)


class AgentWeb:
    def __init__(self, auth: AgentAuth) -> None:
        self.auth = auth

    def install(self, app: web.Application) -> None:
        app.router.add_get("/agent", self.console)
        app.router.add_post("/agent/api/login", self.login)
        app.router.add_post("/agent/api/logout", self.logout)
        app.router.add_get("/agent/api/me", self.me)
        app.router.add_get("/i18n/{page}/{lang}.json", self.texts)

    async def console(self, request: web.Request) -> web.FileResponse:
        return web.FileResponse(STATIC / "agent.html", headers={
            "Content-Security-Policy": CONSOLE_CSP, "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer", "Cache-Control": "no-store"})

    async def agent_of(self, request: web.Request) -> AgentIdentity | None:
        return await self.auth.agent_for(request.cookies.get(COOKIE))

    async def login(self, request: web.Request) -> web.Response:
        if request.content_type != "application/json":
            return _error(415, "json_required")
        try:
            body = await request.json()
        except ValueError:
            return _error(400, "invalid_payload")
        email, password = (body.get("email"), body.get("password")) if isinstance(body, dict) else (None, None)
        if not isinstance(email, str) or not isinstance(password, str) or not email or len(password) > 1024:
            return _error(400, "invalid_payload")
        try:
            login = await self.auth.login(email, password, request.remote)
        except LoginError as exc:
            if exc.code == "throttled":
                seconds = max(1, int(exc.retry_after + 0.999))
                response = _error(429, "throttled", retry_after=seconds)
                response.headers["Retry-After"] = str(seconds)
                return response
            return _error(401, exc.code)
        response = web.json_response({"agent": login.agent.wire(), "expires_at": login.expires_at.isoformat()})
        response.set_cookie(COOKIE, login.token, max_age=int(self.auth.ttl.total_seconds()), path="/",
                            httponly=True, samesite="Strict", secure=_behind_tls(request))
        return response

    async def logout(self, request: web.Request) -> web.Response:
        await self.auth.logout(request.cookies.get(COOKIE))
        response = web.json_response({"ok": True})
        response.del_cookie(COOKIE, path="/")
        return response

    async def me(self, request: web.Request) -> web.Response:
        agent = await self.agent_of(request)
        if agent is None:
            return _error(401, "unauthorized")
        return web.json_response({"agent": agent.wire()}, headers={"Cache-Control": "no-store"})

    async def texts(self, request: web.Request) -> web.Response:
        page, lang = request.match_info["page"], request.match_info["lang"]
        if page not in PAGES or lang not in LANGUAGES:
            raise web.HTTPNotFound()
        # The widget runs on other sites' pages too: its texts are public and readable from anywhere.
        return web.json_response({"lang": lang, "texts": page_texts(page, lang)},
                                 headers={"Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*",
                                          "Cross-Origin-Resource-Policy": "cross-origin"})
