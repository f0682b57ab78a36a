"""python-engineio's WebSocket transport with fewer hand-offs per packet: the chat's hot path.

Upstream (python-engineio 4.x, ``engineio/async_socket.py``) hands every packet it sends to a
writer task through a queue, which the writer waits on with ``asyncio.wait_for`` (a timer and two
futures a packet), and it receives every packet in a task of its own, also waited for with
``asyncio.wait_for``. A chat turn is a packet in and two out (the acknowledgement, the reply): the
hand-offs cost about as much CPU as the frames' writes (docs/benchmarks.md, "Session 8").
``DirectSocket``, once its connection is a WebSocket:

- writes a packet straight to the socket, in the coroutine that sends it, when nothing is queued
  before it, the writer task is not writing and the connection is not compressed. aiohttp writes an
  uncompressed frame at once, before anything can interleave, so packets keep their order (a
  compressed one may wait for a lock or a thread: the server refuses permessage-deflate, chatbot/app.py,
  but where a connection has it every packet goes through the queue). Otherwise the packet is queued
  for the writer task, as upstream does, and so is a packet whose direct write failed: the writer then
  fails on it and closes the connection as upstream's would;
- receives under ``asyncio.timeout``, without a task per packet;
- lets its writer wait on the queue without a time limit: a client that stops answering is still
  dropped by the receiving side's limit (ping interval + ping timeout), as upstream drops it, while
  pings sent directly no longer pass through the queue to keep upstream's writer from timing out.

Everything else (long-polling, the upgrade from polling, pings, closing) is upstream's. pyproject.toml
keeps python-engineio within 4.x from 4.15; tests/channels/test_engine.py runs the socket through
real clients on both transports.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any

import engineio
import socketio
from engineio import exceptions, packet
from engineio.async_socket import AsyncSocket


class DirectSocket(AsyncSocket):  # type: ignore[misc]
    _direct: Any = None  # the WebSocket while its writer task runs (packets may be written at once)
    _writing = False     # the writer task is writing packets it took from the queue
    connected: bool      # upstream's (engineio.base_socket), set before the handler runs

    async def send(self, pkt: packet.Packet) -> None:
        ws = self._direct
        if ws is None or self._writing or not self.queue.empty():
            await super().send(pkt)
            return
        if not await self.check_ping_timeout():  # no suspension when it returns True
            return
        if self.server.logger.isEnabledFor(logging.INFO):
            self.server.logger.info("%s: Sending packet %s (directly)", self.sid, packet.packet_names[pkt.packet_type])
        try:
            await ws.send(pkt.encode())
        except Exception:  # noqa: BLE001 — nothing was written (aiohttp checks first): the writer's turn
            await self.queue.put(pkt)

    async def _websocket_handler(self, ws: Any) -> None:
        """Upstream's handler (python-engineio 4.15), with the writer and the receiving loop above."""
        async def websocket_wait() -> Any:
            data = await ws.wait()
            if data and len(data) > self.server.max_http_buffer_size:
                raise ValueError("packet is too large")
            return data

        if self.connected:  # an upgrade from long-polling
            self.upgrading = True  # hold packet sends during the upgrade
            try:
                pkt = await websocket_wait()
            except OSError:
                return
            decoded_pkt = packet.Packet(encoded_packet=pkt)
            if decoded_pkt.packet_type != packet.PING or decoded_pkt.data != "probe":
                self.server.logger.info("%s: Failed websocket upgrade, no PING packet", self.sid)
                self.upgrading = False
                return
            await ws.send(packet.Packet(packet.PONG, data="probe").encode())
            await self.queue.put(packet.Packet(packet.NOOP))  # end poll
            try:
                pkt = await websocket_wait()
            except OSError:
                self.upgrading = False
                return
            decoded_pkt = packet.Packet(encoded_packet=pkt)
            if decoded_pkt.packet_type != packet.UPGRADE:
                self.upgraded = False
                self.server.logger.info("%s: Failed websocket upgrade, expected UPGRADE packet, received %s "
                                        "instead.", self.sid, pkt)
                self.upgrading = False
                return
            self.upgraded = True
            self.upgrading = False
        else:
            self.connected = True
            self.upgraded = True

        async def writer() -> None:
            while True:
                packets = [await self.queue.get()]  # upstream's poll, without its time limit
                self.queue.task_done()
                if packets == [None]:  # the end
                    break
                while not self.queue.empty():
                    packets.append(self.queue.get_nowait())
                    self.queue.task_done()
                    if packets[-1] is None:  # the end, after these: taken again by the next round
                        packets.pop()
                        self.queue.put_nowait(None)
                        break
                self._writing = True
                try:
                    for one in packets:
                        await ws.send(one.encode())
                except Exception:  # noqa: BLE001 — upstream's writer: any failure ends the connection
                    break
                finally:
                    self._writing = False
            self._direct = None
            await ws.close()

        writer_task = asyncio.ensure_future(writer())
        response = getattr(ws, "_sock", None)  # aiohttp's WebSocketResponse (the aiohttp driver's)
        self._direct = ws if response is not None and not response.compress else None
        self.server.logger.info("%s: Upgrade to websocket successful", self.sid)

        while True:
            try:
                async with asyncio.timeout(self.server.ping_interval + self.server.ping_timeout):
                    p = await websocket_wait()
            except BaseException:  # noqa: BLE001 — upstream's: a timeout, a closed socket, a cancelled handler
                break
            if p is None:  # connection closed by client
                break
            try:
                await self.receive(packet.Packet(encoded_packet=p))
            except exceptions.UnknownPacketError:
                pass
            except exceptions.SocketIsClosedError:
                self.server.logger.info("Receive error -- socket is closed")
                break
            except Exception:
                self.server.logger.exception("Unknown receive error")

        self._direct = None
        await self.queue.put(None)  # unlock the writer task so it can exit
        await writer_task
        await self.close(wait=False, abort=True, reason=self.server.reason.TRANSPORT_CLOSE)


class Engine(engineio.AsyncServer):  # type: ignore[misc]
    """python-engineio's server whose sockets are ``DirectSocket``s. Upstream builds each socket
    itself (``_handle_connect``) and tells the application at once ("connect"), before the socket
    sends or receives anything but its OPEN packet: the socket takes its class there."""

    async def _trigger_event(self, event: str, *args: Any, **kwargs: Any) -> Any:
        if event == "connect":
            socket = self.sockets.get(args[0])
            if type(socket) is AsyncSocket:
                socket.__class__ = DirectSocket
        return await super()._trigger_event(event, *args, **kwargs)


class ChatServer(socketio.AsyncServer):  # type: ignore[misc]
    """python-socketio's server on ``Engine``."""

    def _engineio_server_class(self) -> type[engineio.AsyncServer]:
        return Engine
