"""The demo client area: a page like the provider's client area, embedding the chat widget with a
signed customer identity, so the embedded default shows what a verified customer gets (tickets for
their services). Served only with demo data on and an identity secret set."""
from __future__ import annotations

import html
from pathlib import Path

from aiohttp import web
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from chatbot.demo import DEMO_CUSTOMERS
from chatbot.identity import sign_customer
from chatbot.models import Customer

TEMPLATE = Path(__file__).with_name("static") / "client-area.html"


def install_demo_pages(app: web.Application, sessions: async_sessionmaker[AsyncSession],
                       identity_secret: str) -> None:
    template = TEMPLATE.read_text(encoding="utf-8")
    default_customer = DEMO_CUSTOMERS[0]["external_id"]

    async def client_area(request: web.Request) -> web.Response:
        ref = request.query.get("customer", default_customer)
        async with sessions() as s:
            customer = await s.scalar(select(Customer).where(Customer.external_id == ref))
        if customer is None:
            raise web.HTTPNotFound(text="unknown demo customer")
        services = ", ".join(f"{sv.name} (#{sv.order_number}, {' '.join(sv.ips) or 'no IP'})"
                             for sv in customer.services)
        values = {"customer_name": customer.name, "customer_id": customer.external_id,
                  "customer_hash": sign_customer(customer.external_id, identity_secret),
                  "services": services or "—"}
        page = template
        for key, value in values.items():
            page = page.replace("{{" + key + "}}", html.escape(value, quote=True))
        return web.Response(text=page, content_type="text/html")

    app.router.add_get("/client-area", client_area)
