"""The Socket.IO packets of chatbot/channels/packets.py: the same wire format as python-socketio's
default packets (a stock client decodes them), binary attachments still carried, and what orjson
refuses still encoded and decoded as before."""
from __future__ import annotations

import json

import pytest
from socketio import packet as stock

from chatbot.channels.packets import Packet

REPLY = {"id": 7, "conversation_id": "c-1", "author": "bot", "kind": "answer", "lang": "pl",
         "text": "Dział rozliczeń jest dostępny — „teraz”.", "created_at": "2026-11-22T10:00:00+00:00",
         "ticket": {"id": 3, "tags": ["a", None, 1.5, True]}}


def decoded(encoded: str) -> stock.Packet:
    return stock.Packet(encoded_packet=encoded)  # what a stock python-socketio peer makes of it


def test_an_event_reads_the_same_to_a_stock_peer() -> None:
    encoded = Packet(stock.EVENT, data=["message", REPLY], namespace="/chat").encode()
    back = decoded(encoded)
    assert (back.packet_type, back.namespace, back.data) == (stock.EVENT, "/chat", ["message", REPLY])
    assert json.loads(encoded[encoded.index("["):]) == ["message", REPLY]  # plain, compact JSON


def test_an_acknowledgement_keeps_its_id() -> None:
    back = decoded(Packet(stock.ACK, data=[{"id": 12, "duplicate": False}], namespace="/chat", id=41).encode())
    assert (back.packet_type, back.id, back.data) == (stock.ACK, 41, [{"id": 12, "duplicate": False}])


def test_what_a_stock_peer_sends_is_read() -> None:
    sent = stock.Packet(stock.EVENT, data=["message", {"text": "Guten Tag, ist die Abrechnung da?", "n": 1}],
                        namespace="/chat", id=3).encode()
    got = Packet(encoded_packet=sent)
    assert (got.packet_type, got.id, got.data) == (stock.EVENT, 3, ["message", {"text": "Guten Tag, ist die Abrechnung da?", "n": 1}])


@pytest.mark.parametrize("data", [
    ["file", b"\x00\x01"],
    ["file", {"nested": [1, {"deep": bytearray(b"x")}]}],
])
def test_binary_anywhere_in_the_payload_goes_as_an_attachment(data: list[object]) -> None:
    encoded = Packet(stock.EVENT, data=data, namespace="/chat").encode()
    assert isinstance(encoded, list) and len(encoded) == 2  # the packet, then its one attachment
    assert encoded[0].startswith("51-/chat,")
    assert Packet(stock.EVENT, data=["message", REPLY]).packet_type == stock.EVENT  # none: a plain event


def test_what_orjson_refuses_goes_through_the_standard_library() -> None:
    lone = "\ud800 and NaN"
    encoded = Packet(stock.EVENT, data=["message", {"text": lone, "score": float("nan")}]).encode()
    assert encoded == "2" + json.dumps(["message", {"text": lone, "score": float("nan")}], separators=(",", ":"))
    back = Packet(encoded_packet=encoded)
    assert back.data[1]["text"] == lone


def test_integer_keys_are_written_as_the_standard_library_writes_them() -> None:
    assert Packet(stock.EVENT, data=["counts", {1: "a"}]).encode() == '2["counts",{"1":"a"}]'
