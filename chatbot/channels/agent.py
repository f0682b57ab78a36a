"""The agent console's live side over Socket.IO (namespace /agent). Like every channel it only
translates: events to calls on the queue and the takeover (chatbot/agents/), their results to
events for the consoles and, through the /chat namespace's rooms, for the visitor. See
docs/agents.md for the events.

Every event checks the agent's session again: a logout in another tab or an expiry ends the
console's powers at once, not at the next reconnect.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any

import socketio
from socketio.async_pubsub_manager import AsyncPubSubManager

from chatbot.agents.auth import AgentAuth, AgentIdentity
from chatbot.agents.canned import canned_answers
from chatbot.agents.queue import Queue
from chatbot.agents.takeover import Done, Takeover, TakeoverError
from chatbot.agents.web import token_from_cookie_header
from chatbot.channels.chat import NAMESPACE as CHAT
from chatbot.messages import OutboundMessage
from chatbot.security import same_origin

log = logging.getLogger(__name__)
NAMESPACE = "/agent"
AGENTS = "agents"  # every console: queue changes
ACTIONS = frozenset({"queue", "open", "take", "send", "typing", "read", "hand_back", "convert", "close"})
# At most one queue.changed per this many seconds from one process: a console re-reads its whole
# queue on each, and on a busy site every customer message changes the list of live chats.
QUEUE_NOTICE_EVERY = 0.5


def conversation_room(conversation_id: str) -> str:
    return f"conv:{conversation_id}"


class AgentNamespace(socketio.AsyncNamespace):
    def __init__(self, auth: AgentAuth, queue: Queue, takeover: Takeover, teams: list[str]) -> None:
        super().__init__(NAMESPACE)
        self.auth, self.queue, self.takeover, self.teams = auth, queue, takeover, teams
        self._tokens: dict[str, str] = {}  # sid -> session token, this process's connections only
        self._watching: dict[str, str] = {}  # sid -> the conversation its console shows
        self._tasks: set[asyncio.Task[None]] = set()  # strong references until each ends
        self._queue_noticed_at = float("-inf")  # loop time of the last queue.changed
        self._queue_notice_due = False  # a queue.changed is scheduled for the end of the window

    async def trigger_event(self, event: str, *args: Any) -> Any:
        sid = args[0] if args else ""
        if event in ("connect", "disconnect"):
            # A client may send an ordinary event *named* connect/disconnect (see chat.py): only the
            # real ones, before the sid has a session / after it stopped being connected, get through.
            forged = (sid in self._tokens if event == "connect"
                      else bool(self.server.manager.is_connected(sid, self.namespace)))
            if forged:
                return {"error": {"code": "unknown_event", "params": {"event": event}}}
            return await super().trigger_event(event, *args)
        if event not in ACTIONS:
            return {"error": {"code": "unknown_event", "params": {"event": str(event)[:50]}}}
        agent = await self.auth.agent_for(self._tokens.get(sid))
        if agent is None:
            await self._expire(sid)
            return {"error": {"code": "unauthorized", "params": {}}}
        data = args[1] if len(args) > 1 and isinstance(args[1], dict) else {}
        try:
            return await getattr(self, f"do_{event}")(sid, agent, data)
        except TakeoverError as exc:
            return {"error": {"code": exc.code, "params": exc.params}}
        except Exception:
            log.exception("agent event %s failed", event)
            return {"error": {"code": "internal", "params": {}}}

    async def _expire(self, sid: str) -> None:
        """The session is over: nothing more reaches this connection, and it is closed once the
        refusal has been answered (closing first would swallow the answer)."""
        for room in self.rooms(sid):
            if room != sid:
                await self.leave_room(sid, room)
        self._tokens.pop(sid, None)
        await self.emit("session_expired", {}, to=sid)

        async def close_soon() -> None:
            await asyncio.sleep(1)
            await self.disconnect(sid)

        task = asyncio.create_task(close_soon())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def on_connect(self, sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        # Another site's page must not open a console with the agent's cookie (WebSocket hijacking).
        if not same_origin(environ.get("HTTP_ORIGIN"), environ.get("HTTP_HOST"),
                           environ.get("HTTP_X_FORWARDED_HOST")):
            raise socketio.exceptions.ConnectionRefusedError({"code": "cross_origin"})
        token = auth.get("token") if isinstance(auth, dict) else None
        token = token or token_from_cookie_header(environ.get("HTTP_COOKIE"))
        agent = await self.auth.agent_for(token)
        if agent is None:
            raise socketio.exceptions.ConnectionRefusedError({"code": "unauthorized"})
        self._tokens[sid] = str(token)
        await self.enter_room(sid, AGENTS)
        await self.emit("hello", {"agent": agent.wire(), "teams": self.teams}, to=sid)

    async def on_disconnect(self, sid: str, reason: Any = None) -> None:
        self._tokens.pop(sid, None)
        self._watching.pop(sid, None)

    @staticmethod
    def _conversation_id(data: dict[str, Any]) -> str:
        cid = data.get("conversation_id")
        if not isinstance(cid, str) or not 0 < len(cid) <= 64:
            raise TakeoverError("not_found")
        return cid

    async def _entry(self, agent: AgentIdentity, cid: str) -> dict[str, Any] | None:
        found = await self.queue.entries(agent, only=cid)
        return found[0] if found else None

    async def do_queue(self, sid: str, agent: AgentIdentity, data: dict[str, Any]) -> dict[str, Any]:
        return {"conversations": await self.queue.entries(agent)}

    async def do_open(self, sid: str, agent: AgentIdentity, data: dict[str, Any]) -> dict[str, Any]:
        cid = self._conversation_id(data)
        entry = await self._entry(agent, cid)
        if entry is None:
            raise TakeoverError("not_found")
        previous = self._watching.get(sid)
        if previous and previous != cid:
            await self.leave_room(sid, conversation_room(previous))
        self._watching[sid] = cid
        await self.enter_room(sid, conversation_room(cid))
        return {"conversation": entry, "messages": await self.queue.transcript(cid),
                "canned": canned_answers(entry["lang"], agent.name)}

    async def do_take(self, sid: str, agent: AgentIdentity, data: dict[str, Any]) -> dict[str, Any]:
        done = await self.takeover.take(agent, self._conversation_id(data))
        await self._publish(done)
        return {"ok": True, "conversation": await self._entry(agent, done.conversation_id)}

    async def do_send(self, sid: str, agent: AgentIdentity, data: dict[str, Any]) -> dict[str, Any]:
        client_id = data.get("client_id") if isinstance(data.get("client_id"), str) else None
        done = await self.takeover.send(agent, self._conversation_id(data), data.get("text"), client_id)
        await self._publish(done, queue_changed=False)
        await self.server.emit("typing", {"author": "agent", "name": agent.name, "typing": False},
                               namespace=CHAT, room=done.conversation_id)
        return {"message": self._wire(done.messages[0], done.agent_name)}

    async def do_hand_back(self, sid: str, agent: AgentIdentity, data: dict[str, Any]) -> dict[str, Any]:
        await self._publish(await self.takeover.hand_back(agent, self._conversation_id(data)))
        return {"ok": True}

    async def do_close(self, sid: str, agent: AgentIdentity, data: dict[str, Any]) -> dict[str, Any]:
        await self._publish(await self.takeover.close(agent, self._conversation_id(data)))
        return {"ok": True}

    async def do_convert(self, sid: str, agent: AgentIdentity, data: dict[str, Any]) -> dict[str, Any]:
        done = await self.takeover.convert(agent, self._conversation_id(data), data.get("team"),
                                           data.get("priority"), data.get("note"))
        await self._publish(done)
        return {"ok": True, "ticket": done.ticket}

    async def do_typing(self, sid: str, agent: AgentIdentity, data: dict[str, Any]) -> dict[str, Any]:
        cid = self._conversation_id(data)
        await self.takeover.holder_check(agent, cid)
        await self.server.emit("typing", {"author": "agent", "name": agent.name, "typing": bool(data.get("typing"))},
                               namespace=CHAT, room=cid)
        return {"ok": True}

    async def do_read(self, sid: str, agent: AgentIdentity, data: dict[str, Any]) -> dict[str, Any]:
        cid = self._conversation_id(data)
        up_to = data.get("up_to")
        if not isinstance(up_to, int) or isinstance(up_to, bool):
            return {"error": {"code": "invalid_payload", "params": {}}}
        await self.takeover.holder_check(agent, cid)
        await self.server.emit("read", {"author": "agent", "up_to": up_to}, namespace=CHAT, room=cid)
        return {"ok": True}

    @staticmethod
    def _wire(out: OutboundMessage, agent_name: str | None = None) -> dict[str, Any]:
        wire = out.to_wire()
        if out.author == "agent":
            wire["agent_name"] = agent_name
        return wire

    async def _publish(self, done: Done, queue_changed: bool = True) -> None:
        """Show the visitor what happened, in the chat's own events, and tell the consoles."""
        cid = done.conversation_id
        for out in done.messages:
            await self.server.emit("message", out.to_wire(), namespace=CHAT, room=cid)
            await self.emit("conversation.message", {"conversation_id": cid, "message": self._wire(
                out, done.agent_name)}, room=conversation_room(cid))
        if done.ticket:
            await self.server.emit("ticket", done.ticket, namespace=CHAT, room=cid)
        await self.emit("conversation.changed", {"conversation_id": cid}, room=conversation_room(cid))
        if queue_changed:
            await self.queue_changed()

    def _anyone_may_watch(self, room: str) -> bool:
        """False when no console here shows the conversation and no other process could (one process,
        no Redis): most chats are never opened by an agent, and encoding an event for nobody costs
        CPU on every message."""
        manager = self.server.manager
        if isinstance(manager, AsyncPubSubManager):
            return True  # a console on another process may show it
        return next(iter(manager.get_participants(self.namespace, room)), None) is not None

    async def queue_changed(self) -> None:
        """Tell every console to re-read its queue: at once after a quiet spell, else once when
        ``QUEUE_NOTICE_EVERY`` has passed since the last notice. One notice covers every change
        before it, so none is lost, and a console gets a couple per second however busy the site."""
        if self._queue_notice_due:
            return  # the notice already scheduled will cover this change too
        wait = self._queue_noticed_at + QUEUE_NOTICE_EVERY - asyncio.get_running_loop().time()
        if wait <= 0:
            await self._notice_queue()
            return
        self._queue_notice_due = True

        async def later() -> None:
            await asyncio.sleep(wait)
            self._queue_notice_due = False
            try:
                await self._notice_queue()
            except Exception:  # Redis away: the consoles' 30-second refresh still catches up
                log.exception("could not tell the consoles their queue changed")

        task = asyncio.create_task(later())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _notice_queue(self) -> None:
        self._queue_noticed_at = asyncio.get_running_loop().time()
        await self.emit("queue.changed", {}, room=AGENTS)

    async def relay(self, event: str, conversation_id: str, data: dict[str, Any]) -> None:
        """What happens in a visitor's chat, for the consoles (called by the chat channel)."""
        room = conversation_room(conversation_id)
        if event == "message":
            if self._anyone_may_watch(room):
                await self.emit("conversation.message", {"conversation_id": conversation_id, "message": data},
                                room=room)
            if data.get("author") == "customer" or data.get("kind") == "handoff":
                await self.queue_changed()
        elif event == "typing":
            await self.emit("conversation.typing", {"conversation_id": conversation_id,
                                                    "typing": bool(data.get("typing"))}, room=room)
        elif (event == "read" and isinstance(data.get("up_to"), int)
              and await self.takeover.visitor_read(conversation_id, int(data["up_to"]))):
            await self.emit("conversation.read", {"conversation_id": conversation_id, "up_to": data["up_to"]},
                            room=room)
