"""The demo client area embeds the widget with a signed identity that the chat accepts."""
from __future__ import annotations

import re

import aiohttp

from chatbot.identity import sign_customer
from tests.conftest import IDENTITY_SECRET


async def test_client_area_signs_the_customer_and_the_chat_opens_tickets_for_them(server, visitor) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{server}/client-area?customer=C1002") as resp:
            assert resp.status == 200
            page = await resp.text()
        async with http.get(f"{server}/client-area?customer=C9999") as resp:
            assert resp.status == 404
    assert "Marek Kowalski" in page and "VPS SSD-8" in page
    cid = re.search(r'data-customer-id="([^"]+)"', page).group(1)
    chash = re.search(r'data-customer-hash="([^"]+)"', page).group(1)
    assert cid == "C1002" and chash == sign_customer("C1002", IDENTITY_SECRET)

    v = visitor()
    await v.connect(customer_id=cid, customer_hash=chash)
    await v.say("serwer 217.182.6.140 kompletnie nie działa od 8:00")
    await v.wait_for(lambda: bool(v.tickets()))
    assert v.tickets()[0]["priority"] == "high"
