"""How the Socket.IO channels' packets are encoded: python-socketio's own format, cheaper to make.

Every chat turn encodes an acknowledgement and a reply and decodes a message, and python-socketio's
default packet class spends more CPU on that than on the JSON itself: it walks every payload
through lists and ``functools.reduce`` to look for binary attachments, and the standard library's
JSON module is several times slower than orjson. ``Packet`` keeps the format and the binary
attachments; it looks for them with a walk that stops at the first one, and encodes with orjson.
What orjson refuses (a lone surrogate, NaN, an integer wider than 64 bits) goes to the JSON module
python-engineio uses by default, exactly as before.
"""
from __future__ import annotations

from typing import Any

import orjson
import socketio
from engineio import json as engineio_json

_OPTIONS = orjson.OPT_NON_STR_KEYS  # {1: …} as {"1": …}, as the standard library writes it


class Json:
    """The ``dumps``/``loads`` pair python-socketio and python-engineio take as their JSON module."""

    @staticmethod
    def dumps(obj: Any, **kwargs: Any) -> str:
        # Always compact: the separators python-socketio asks for are orjson's only ones.
        try:
            return orjson.dumps(obj, option=_OPTIONS).decode()
        except orjson.JSONEncodeError:
            return engineio_json.dumps(obj, **kwargs)  # type: ignore[no-any-return]

    @staticmethod
    def loads(s: str | bytes, **kwargs: Any) -> Any:
        try:
            return orjson.loads(s)
        except orjson.JSONDecodeError:
            return engineio_json.loads(s, **kwargs)


class Packet(socketio.packet.Packet):
    json = Json

    @classmethod
    def data_is_binary(cls, data: Any) -> bool:
        if isinstance(data, (bytes, bytearray)):
            return True
        items = data if isinstance(data, list) else data.values() if isinstance(data, dict) else ()
        for item in items:
            if cls.data_is_binary(item):
                return True
        return False
