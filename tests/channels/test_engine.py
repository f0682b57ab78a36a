"""The Engine.IO socket of chatbot/channels/engine.py and the one-process rooms of
chatbot/channels/rooms.py (``LocalRooms``): a real aiohttp server with ``ChatServer``, real
python-socketio clients, over WebSocket and over long-polling upgraded to WebSocket."""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import pytest
import socketio
from aiohttp import web
from engineio import packet

from chatbot.app import _no_websocket_compression
from chatbot.channels.engine import ChatServer, DirectSocket
from chatbot.channels.rooms import LocalRooms


@dataclass
class Server:
    sio: ChatServer
    url: str
    disconnected: list[str] = field(default_factory=list)

    def socket(self, client: socketio.AsyncClient) -> Any:
        return self.sio.eio.sockets[client.eio.sid]


async def until(condition: Callable[[], bool], seconds: float = 5.0) -> None:
    for _ in range(int(seconds / 0.02)):
        if condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"not within {seconds} s")


@pytest.fixture
async def serve() -> AsyncIterator[Callable[..., Awaitable[Server]]]:
    runners: list[web.AppRunner] = []

    async def start(compression: bool = False, **options: Any) -> Server:
        sio = ChatServer(async_mode="aiohttp", client_manager=LocalRooms(), **options)
        server = Server(sio, "")

        @sio.on("burst")
        async def burst(sid: str, count: int) -> int:
            for i in range(count):
                await sio.emit("n", i, to=sid)
            return count

        @sio.on("join")
        async def join(sid: str, room: str) -> bool:
            await sio.enter_room(sid, room)
            return True

        @sio.on("to_room")
        async def to_room(sid: str, data: dict[str, Any]) -> bool:
            await sio.emit("room", data["text"], room=data["room"], skip_sid=data.get("skip"))
            return True

        @sio.on("disconnect")
        async def disconnect(sid: str, reason: Any = None) -> None:
            server.disconnected.append(sid)

        app = web.Application(middlewares=[] if compression else [_no_websocket_compression])
        sio.attach(app)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        runners.append(runner)
        server.url = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"  # type: ignore[union-attr]
        return server

    yield start
    for runner in runners:
        await runner.cleanup()


@pytest.fixture
async def connect() -> AsyncIterator[Callable[..., Awaitable[tuple[socketio.AsyncClient, list[Any]]]]]:
    clients: list[socketio.AsyncClient] = []

    async def open_one(server: Server, transports: list[str] | None = None) -> tuple[socketio.AsyncClient, list[Any]]:
        client, got = socketio.AsyncClient(websocket_extra_options={"compress": 15}), []  # as a browser offers it
        client.on("n", got.append)
        client.on("room", got.append)
        await client.connect(server.url, transports=transports or ["websocket"])
        clients.append(client)
        return client, got

    yield open_one
    for client in clients:
        await client.disconnect()


@pytest.mark.parametrize("compression", [False, True], ids=["plain", "deflate"])
async def test_a_burst_arrives_whole_and_in_order_before_its_acknowledgement(
        serve: Any, connect: Any, compression: bool) -> None:
    server = await serve(compression=compression)
    client, got = await connect(server)
    socket = server.socket(client)
    assert type(socket) is DirectSocket
    assert (socket._direct is None) == compression  # written straight only where no zlib sits between

    assert await client.call("burst", 300) == 300
    assert got == list(range(300))  # every event was delivered before the acknowledgement that follows it


async def test_long_polling_upgraded_to_websocket_delivers_everything(serve: Any, connect: Any) -> None:
    server = await serve()
    client, got = await connect(server, transports=["polling", "websocket"])
    await until(lambda: client.transport() == "websocket")
    assert await client.call("burst", 100) == 100
    assert got == list(range(100))
    assert server.socket(client)._direct is not None


async def test_a_quiet_connection_stays_open_past_ping_interval_and_timeout(serve: Any, connect: Any) -> None:
    # The writer task waits without a time limit: pings written directly never pass through its queue.
    server = await serve(ping_interval=1, ping_timeout=1)
    client, got = await connect(server)
    await asyncio.sleep(5)  # more than twice interval + timeout, nothing sent but pings
    assert client.connected and not server.disconnected
    assert await client.call("burst", 3) == 3
    assert got == [0, 1, 2]


async def test_a_client_that_stops_answering_pings_is_dropped(serve: Any) -> None:
    server = await serve(ping_interval=1, ping_timeout=1)
    async with aiohttp.ClientSession() as http, http.ws_connect(
            server.url.replace("http", "ws") + "/socket.io/?EIO=4&transport=websocket") as ws:
        assert (await ws.receive_str()).startswith("0{")  # Engine.IO's OPEN
        await ws.send_str("40")  # Socket.IO's CONNECT, then silence: no PONG ever
        assert (await ws.receive_str()).startswith("40")
        await until(lambda: bool(server.disconnected), seconds=8)
        assert len(server.disconnected) == 1


async def test_a_packet_for_a_closing_connection_does_not_fail_its_sender(serve: Any, connect: Any) -> None:
    server = await serve()
    client, got = await connect(server)
    socket = server.socket(client)
    response = socket._direct._sock
    closing = asyncio.ensure_future(response.close())  # the server closes: aiohttp refuses frames from now on
    await asyncio.sleep(0)
    await socket.send(packet.Packet(packet.MESSAGE, data="2[\"n\",1]"))  # refused by aiohttp: queued, not raised
    await closing
    await until(lambda: bool(server.disconnected))
    assert got == []


async def test_an_emit_to_a_room_reaches_every_member_but_the_skipped_one(serve: Any, connect: Any) -> None:
    server = await serve()
    members = [await connect(server) for _ in range(3)]
    outsider, outsider_got = await connect(server)
    for client, _ in members:
        assert await client.call("join", "conversation-1")
    skipped = members[0][0].get_sid()
    assert await outsider.call("to_room", {"room": "conversation-1", "text": "hello", "skip": skipped})
    await until(lambda: all(got == ["hello"] for _, got in members[1:]))
    await asyncio.sleep(0.1)
    assert members[0][1] == [] and outsider_got == []


async def test_an_emit_with_a_callback_still_gets_the_clients_answer(serve: Any, connect: Any) -> None:
    server = await serve()
    client, _ = await connect(server)
    client.on("question", lambda text: text.upper())
    answers: list[Any] = []
    await server.sio.emit("question", "ça va", to=client.get_sid(), callback=lambda *a: answers.append(a))
    await until(lambda: bool(answers))
    assert answers == [("ÇA VA",)]
