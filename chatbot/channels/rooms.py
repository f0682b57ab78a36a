"""How Socket.IO events reach the processes that have someone to give them to: python-socketio's
Redis manager, with a Redis channel per room.

python-socketio's own manager publishes every emit on one channel that every process listens to, so
each process receives and decodes the whole service's traffic, nearly all of it for rooms it has
nobody in: its cost per process grows with the number of processes (docs/benchmarks.md). Here an
emit to a room goes on that room's channel, and a process listens to a room's channel while it has
a member in the room (a visitor's conversation, an agent following it, the agents' room, a
client's own room). Broadcasts to a whole namespace, callbacks and python-socketio's requests about
clients of other processes (disconnect, enter or leave a room) stay on the shared channel. An emit
to a client of this process does not go through Redis at all: nobody else can be in its room.

A room joined with ``enter_room`` is listened to before the call returns: the process sends its
SUBSCRIBE, then a PING on the same connection, and waits for the PONG (Redis answers in order, so
the subscription is in place): what another process emits to the room after that is received.
After a lost Redis connection the listener subscribes again to every room that has a member here.

It overrides parts of python-socketio's AsyncRedisManager that are not public (``_publish``,
``_listen``, ``_redis_listen_with_retries``, the ``basic_*_room`` hooks): pyproject.toml keeps
python-socketio within the 5.x releases from 5.18, and tests/channels/test_rooms.py runs them on the
real Redis.
"""
from __future__ import annotations

import asyncio
import logging
import uuid
from typing import Any

import socketio
from engineio import packet as eio_packet
from socketio import packet

log = logging.getLogger(__name__)

SUBSCRIBE_WAIT = 2.0  # seconds enter_room waits for Redis to confirm a new room's subscription


class LocalRooms(socketio.AsyncManager):  # type: ignore[misc]
    """python-socketio's manager of this process's rooms, whose emits hand the packet to each
    recipient in turn. Upstream's ``AsyncManager.emit`` starts a task per recipient and waits for them
    all, but handing a packet to an Engine.IO socket does not wait for the network (it is written at
    once or queued: chatbot/channels/engine.py), so the tasks buy nothing but their cost, once per
    reply. An emit with a callback (a packet id per recipient) stays upstream's. The manager of a
    single process; ``RoomChannels`` delivers what reaches this process through it too."""

    async def emit(self, event: str, data: Any, namespace: str | None, room: Any = None, skip_sid: Any = None,
                   callback: Any = None, to: Any = None, **kwargs: Any) -> None:
        if callback is not None:
            await super().emit(event, data, namespace, room=room, skip_sid=skip_sid, callback=callback, to=to,
                               **kwargs)
            return
        room = to or room
        if namespace not in self.rooms:
            return
        skip = skip_sid if isinstance(skip_sid, list) else [skip_sid]
        recipients = [eio_sid for sid, eio_sid in self.get_participants(namespace, room) if sid not in skip]
        if not recipients:
            return
        args = list(data) if isinstance(data, tuple) else [] if data is None else [data]
        encoded = self.server.packet_class(packet.EVENT, namespace=namespace, data=[event, *args]).encode()
        packets = [eio_packet.Packet(eio_packet.MESSAGE, one)
                   for one in (encoded if isinstance(encoded, list) else [encoded])]
        for eio_sid in recipients:
            for one in packets:
                try:
                    await self.server._send_eio_packet(eio_sid, one)
                except Exception:  # one recipient's failure is not the others' (upstream: a task each)
                    log.exception("could not send %s to %s", event, eio_sid)


class RoomChannels(socketio.AsyncRedisManager, LocalRooms):  # type: ignore[misc]
    def __init__(self, url: str, channel: str) -> None:
        super().__init__(url, channel=channel)
        self._wanted: set[str] = set()      # room channels with a member in this process
        self._subscribed: set[str] = set()  # those the current Redis connection is subscribed to
        self._lock = asyncio.Lock()         # one SUBSCRIBE/UNSUBSCRIBE sequence at a time
        self._pongs: dict[str, asyncio.Future[None]] = {}
        self._syncing: asyncio.Task[None] | None = None
        self._dirty = False                 # membership changed since the last sync began
        self._listening = asyncio.Event()   # subscribed on the current Redis connection

    def room_channel(self, namespace: str | None, room: str) -> str:
        return f"{self.channel}#{namespace or '/'}#{room}"

    # Membership: every way in or out of a room goes through these two (connect, disconnect, close).
    def basic_enter_room(self, sid: str, namespace: str, room: Any, eio_sid: Any = None) -> None:
        super().basic_enter_room(sid, namespace, room, eio_sid=eio_sid)
        if room is not None and self.room_channel(namespace, room) not in self._wanted:
            self._wanted.add(self.room_channel(namespace, room))
            self._sync_soon()

    def basic_leave_room(self, sid: str, namespace: str, room: Any) -> None:
        super().basic_leave_room(sid, namespace, room)
        if room is not None and not self.rooms.get(namespace, {}).get(room):
            self._wanted.discard(self.room_channel(namespace, room))
            self._sync_soon()

    async def enter_room(self, sid: str, namespace: str, room: Any, eio_sid: Any = None) -> None:
        channel = self.room_channel(namespace, room)
        new = channel not in self._wanted
        await super().enter_room(sid, namespace, room, eio_sid=eio_sid)
        if new and channel in self._wanted:
            try:  # python-socketio starts the listener with the first client: it may not be there yet
                await asyncio.wait_for(self._listening.wait(), SUBSCRIBE_WAIT)
            except TimeoutError:
                log.warning("not listening to Redis: room %s joined without its subscription", room)
                return
            await self._sync()
            await self._confirmed()

    async def emit(self, event: str, data: Any, namespace: str | None = None, room: Any = None,
                   skip_sid: Any = None, callback: Any = None, to: Any = None, **kwargs: Any) -> None:
        room = to or room
        if room is not None and callback is None and self.is_sid_room(namespace or "/", room):
            kwargs["ignore_queue"] = True  # a client of this process: handled here, not published
        await super().emit(event, data, namespace=namespace, room=room, skip_sid=skip_sid, callback=callback,
                           **kwargs)

    async def _publish(self, data: dict[str, Any]) -> Any:
        channel = self.channel
        if data.get("method") == "emit" and data.get("room") is not None and data.get("callback") is None:
            channel = self.room_channel(data.get("namespace"), data["room"])
        for attempt in range(2):  # as python-socketio's: reconnect once
            try:
                if not self.connected:
                    self._redis_connect()
                return await self.redis.publish(channel, self.json.dumps(data))
            except Exception as exc:  # noqa: BLE001 — Redis away: logged; python-socketio loses the emit the same way
                self.connected = False
                log.error("cannot publish to Redis%s: %s", ", retrying" if attempt == 0 else "", exc)
        return None

    # Subscriptions follow membership: one task applies the changes, in order.
    def _sync_soon(self) -> None:
        self._dirty = True
        if self._syncing is None or self._syncing.done():
            self._syncing = asyncio.get_running_loop().create_task(self._sync_while_dirty())

    async def _sync_while_dirty(self) -> None:
        while self._dirty:  # a change made while a sync was under way is applied by the next round
            self._dirty = False
            await self._sync()

    async def _sync(self) -> None:
        async with self._lock:
            pubsub = self.pubsub
            if pubsub is None:  # not connected yet: the listener subscribes to all wanted when it is
                return
            try:
                if add := sorted(self._wanted - self._subscribed):
                    await pubsub.subscribe(*add)
                    self._subscribed.update(add)
                if drop := sorted(self._subscribed - self._wanted):
                    await pubsub.unsubscribe(*drop)
                    self._subscribed.difference_update(drop)
            except Exception as exc:  # noqa: BLE001 — the listener reconnects and subscribes again
                log.warning("could not change Redis subscriptions: %s", exc)

    async def _confirmed(self) -> None:
        """Until Redis has done what this connection sent before (a SUBSCRIBE): a PING's PONG."""
        pubsub, token = self.pubsub, uuid.uuid4().hex
        if pubsub is None:
            return
        pong = self._pongs[token] = asyncio.get_running_loop().create_future()
        try:
            await pubsub.ping(token)
            await asyncio.wait_for(pong, SUBSCRIBE_WAIT)
        except Exception as exc:  # noqa: BLE001 — slow or away: the room is joined all the same
            log.warning("Redis did not confirm a room subscription: %s", exc)
        finally:
            self._pongs.pop(token, None)

    async def _redis_listen_with_retries(self) -> Any:
        """python-socketio's listener loop, subscribing to every wanted room channel as well."""
        retry_sleep = 1
        while True:
            try:
                async with self._lock:
                    self._redis_connect()
                    wanted = sorted(self._wanted)
                    await self.pubsub.subscribe(self.channel, *wanted)
                    self._subscribed = set(wanted)
                self._listening.set()
                retry_sleep = 1
                async for message in self.pubsub.listen():
                    yield message
            except Exception as exc:  # noqa: BLE001 — Redis away: retried with back-off, as python-socketio does
                self._listening.clear()
                log.error("cannot receive from Redis, retrying in %s s: %s", retry_sleep, exc)
                try:  # redis-py would reconnect it by itself, subscribed, with nobody reading it
                    await self.pubsub.aclose()
                except Exception:
                    log.debug("could not close the old subscription", exc_info=True)
                await asyncio.sleep(retry_sleep)
                retry_sleep = min(retry_sleep * 2, 60)

    async def _listen(self) -> Any:
        async for message in self._redis_listen_with_retries():
            if message["type"] == "message" and "data" in message:
                yield message["data"]
            elif message["type"] == "pong":
                token = message["data"].decode() if isinstance(message["data"], bytes) else str(message["data"])
                pong = self._pongs.get(token)
                if pong is not None and not pong.done():
                    pong.set_result(None)
