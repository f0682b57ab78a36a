"""The baseline: a bare python-socketio server on aiohttp that speaks the chat's protocol shape and
does no work — `session` on connect, an acknowledgement for each `message`, and the text echoed
back as one `message` event. What it achieves on this machine, in the same run, is what the real
pipeline's numbers are divided by.

    python bench/echo_server.py --port 8091 [--deflate]

Without --deflate it refuses permessage-deflate like the chatbot does; with it, it keeps
python-engineio's default (compression negotiated whenever the client offers it, as browsers do).
"""
from __future__ import annotations

import argparse
import itertools
import uuid
from datetime import UTC, datetime
from typing import Any

import socketio
from aiohttp import hdrs, web
from aiohttp.typedefs import Handler
from multidict import CIMultiDict


@web.middleware
async def no_deflate(request: web.Request, handler: Handler) -> web.StreamResponse:
    if hdrs.SEC_WEBSOCKET_EXTENSIONS in request.headers:
        headers = CIMultiDict(request.headers)
        del headers[hdrs.SEC_WEBSOCKET_EXTENSIONS]
        request = request.clone(headers=headers)
    return await handler(request)


def build(deflate: bool) -> web.Application:
    sio = socketio.AsyncServer(async_mode="aiohttp", cors_allowed_origins=[], max_http_buffer_size=64 * 1024)
    ids = itertools.count(1)

    @sio.on("connect", namespace="/chat")
    async def connect(sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        conversation_id = uuid.uuid4().hex
        await sio.enter_room(sid, conversation_id, namespace="/chat")
        await sio.emit("session", {"conversation_id": conversation_id, "token": conversation_id,
                                   "lang": "en", "resumed": False}, to=sid, namespace="/chat")

    @sio.on("message", namespace="/chat")
    async def message(sid: str, data: Any) -> dict[str, Any]:
        now = datetime.now(UTC).isoformat()
        text = data.get("text", "") if isinstance(data, dict) else ""
        await sio.emit("message", {"id": next(ids), "author": "bot", "kind": "answer", "text": text,
                                   "lang": "en", "created_at": now}, to=sid, namespace="/chat")
        return {"id": next(ids), "received_at": now, "duplicate": False}

    app = web.Application(middlewares=[] if deflate else [no_deflate])
    sio.attach(app)
    app.router.add_get("/healthz", lambda request: web.json_response({"status": "ok"}))
    return app


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8091)
    p.add_argument("--deflate", action="store_true", help="keep permessage-deflate (engineio's default)")
    args = p.parse_args()
    # The same event loop as `chatbot serve` (uvloop where installed), so the ratio compares work.
    from chatbot.cli import _event_loop

    web.run_app(build(args.deflate), host=args.host, port=args.port, print=lambda m: print(m, flush=True),
                access_log=None, loop=_event_loop())


if __name__ == "__main__":
    main()
