"""Demo customers and services for the embedded default, loaded when the database is empty."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from chatbot.models import Customer, Service

DEMO_CUSTOMERS = [
    {"external_id": "C1001", "name": "Camille Dubois", "email": "camille.dubois@example.fr", "lang": "fr",
     "notify_support": "ops@dubois-web.example.fr",
     "services": [("3392017", "Cloud VPS S", ["51.210.14.7"]), ("3392018", "VPS SSD-2", ["51.210.14.8"])]},
    {"external_id": "C1002", "name": "Marek Kowalski", "email": "marek@kowalski-it.example.pl", "lang": "pl",
     "services": [("2045518", "VPS SSD-8", ["217.182.6.140"])]},
    {"external_id": "C1003", "name": "Lucía Martín", "email": "lucia.martin@example.es", "lang": "es",
     "services": [("5567012", "Dedicated E-2388G", ["2001:db8:7:ab::3", "62.210.155.31"])]},
    {"external_id": "C1004", "name": "Jonas Becker", "email": "jonas.becker@example.de", "lang": "de",
     "notify_invoices": "buchhaltung@becker-gmbh.example.de",
     "services": [("4418820", "Dedicated EPYC 7313P", ["91.134.22.115"])]},
    {"external_id": "C1005", "name": "Emily Carter", "email": "emily@carter-apps.example.com", "lang": "en",
     "services": [("7783301", "Cloud VPS L", ["62.210.155.30"]), ("7783302", "Storage Server 8TB", [])]},
]


async def load_demo_data(sessions: async_sessionmaker[AsyncSession]) -> bool:
    """Insert the demo customers when there is no customer yet. Returns whether it did."""
    async with sessions() as s:
        async with s.begin():
            if await s.scalar(select(func.count()).select_from(Customer)):
                return False
            for row in DEMO_CUSTOMERS:
                customer = Customer(external_id=row["external_id"], name=row["name"], email=row["email"],
                                    lang=row["lang"], notify_support=row.get("notify_support"),
                                    notify_invoices=row.get("notify_invoices"))
                s.add(customer)
                await s.flush()
                for order, name, ips in row["services"]:
                    s.add(Service(customer_id=customer.id, order_number=order, name=name, ips=ips))
    return True
