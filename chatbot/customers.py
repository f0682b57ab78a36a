"""The customer registry: who the customers are, the addresses that identify them, their services.

A record comes from the client area's export (``chatbot customers import``, chatbot/customers_import.py)
and is checked field by field before anything is written. The rules protect identification, which
everything else relies on (chatbot/identity.py, chatbot/account_guard.py):

- an email address (registered or notification) belongs to one customer only, otherwise a mail
  from it would prove nothing;
- an order number and an IP address belong to one customer only, otherwise the bot could not tell
  whose service a message is about. Moving a service between customers is refused: it is done by
  removing it from the first customer in the client area, never by an import that happens to
  mention it under another name.

An import only adds and updates: an empty optional field keeps the stored value ("-" clears it), and
a service missing from the file is kept, so re-running a file changes nothing.
"""
from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import String, cast, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from chatbot.i18n import LANGUAGES
from chatbot.models import Customer, Service

ADDRESS_FIELDS = ("email", "notify_invoices", "notify_support", "notify_abuse")
CLEAR = "-"
_EXTERNAL_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_EMAIL = re.compile(r"^[^@\s<>(),;:\"]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)+$")
_ORDER = re.compile(r"^#?\s*(\d{1,20})$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class RowError(ValueError):
    """Why one record was skipped; the rest of the file goes on."""


@dataclass(frozen=True)
class ServiceRecord:
    order_number: str
    name: str
    ips: tuple[str, ...]


@dataclass(frozen=True)
class CustomerRecord:
    """One validated record. ``None`` means "not given": keep what is stored."""

    external_id: str | None
    email: str
    name: str | None = None
    lang: str | None = None
    notify: dict[str, str | None] = field(default_factory=dict)  # field -> address, or None to clear
    services: tuple[ServiceRecord, ...] = ()


def _text(raw: Any, what: str, limit: int) -> str | None:
    if raw is None:
        return None
    if not isinstance(raw, (str, int)):
        raise RowError(f"{what} must be text")
    value = str(raw).strip()
    if len(value) > limit:
        raise RowError(f"{what} is longer than {limit} characters")
    if _CONTROL.search(value):
        raise RowError(f"{what} contains control characters")
    return value or None


def _address(raw: Any, what: str) -> str | None:
    value = _text(raw, what, 320)
    if value is None or value == CLEAR:
        return value
    if not _EMAIL.match(value):
        raise RowError(f"{what} is not a valid email address: {value!r}")
    return value.lower()


def _ips(raw: Any) -> tuple[str, ...]:
    if raw is None or raw == "":
        return ()
    items = raw if isinstance(raw, list) else re.split(r"[\s,;|]+", str(raw).strip())
    out: list[str] = []
    for item in items:
        if not isinstance(item, str) or not item:
            continue
        try:
            ip = ipaddress.ip_address(item.strip()).compressed.lower()
        except ValueError:
            raise RowError(f"not a valid IP address: {str(item)[:60]!r}") from None
        if ip not in out:
            out.append(ip)
    return tuple(out)


def service_record(raw: dict[str, Any]) -> ServiceRecord:
    order = _text(raw.get("order_number"), "order_number", 30)
    match = _ORDER.match(order or "")
    if not match:
        raise RowError(f"order_number must be digits (like 123456 or #123456), got {order!r}")
    name = _text(raw.get("name"), "service name", 200)
    if not name:
        raise RowError(f"service {match.group(1)} has no name")
    return ServiceRecord(match.group(1), name, _ips(raw.get("ips")))


def customer_record(raw: dict[str, Any], services: list[dict[str, Any]]) -> CustomerRecord:
    """Validate one record (a CSV row or a JSON object); raise RowError with the reason."""
    external_id = _text(raw.get("external_id"), "external_id", 64)
    if external_id is not None and not _EXTERNAL_ID.match(external_id):
        raise RowError(f"external_id may only hold letters, digits, '.', '_' and '-': {external_id!r}")
    email = _address(raw.get("email"), "email")
    if not email or email == CLEAR:
        raise RowError("email (the registered address) is missing")
    lang = _text(raw.get("lang"), "lang", 10)
    if lang is not None:
        lang = lang.lower().replace("_", "-").split("-")[0]
        if lang not in LANGUAGES:
            raise RowError(f"lang must be one of {', '.join(LANGUAGES)}")
    notify: dict[str, str | None] = {}
    for name in ADDRESS_FIELDS[1:]:
        value = _address(raw.get(name), name)
        if value is not None:
            notify[name] = None if value == CLEAR else value
    return CustomerRecord(external_id, email, _text(raw.get("name"), "name", 200), lang, notify,
                          tuple(service_record(s) for s in services))


@dataclass
class Tally:
    customers_created: int = 0
    customers_updated: int = 0
    services_created: int = 0
    services_updated: int = 0
    unchanged: int = 0


async def _owner_of_address(session: AsyncSession, address: str, me: int | None) -> Customer | None:
    return await session.scalar(select(Customer).where(
        or_(*(getattr(Customer, f) == address for f in ADDRESS_FIELDS)),
        Customer.id != me if me is not None else true()).limit(1))


async def upsert(session: AsyncSession, rec: CustomerRecord, tally: Tally) -> Customer:
    """Create or update the customer and services of one record (flushed, not committed). Every
    check runs before the first change, so a refused record leaves nothing behind."""
    by_id = (await session.scalar(select(Customer).where(Customer.external_id == rec.external_id))
             if rec.external_id else None)
    by_email = await session.scalar(select(Customer).where(Customer.email == rec.email))
    customer = by_id or by_email
    if by_id is not None and by_email is not None and by_id.id != by_email.id:
        raise RowError(f"email {rec.email} is already registered to customer {by_email.external_id}")
    if by_id is None and by_email is not None and rec.external_id:
        raise RowError(f"email {rec.email} is already registered to customer {by_email.external_id}")
    if customer is None and not rec.external_id:
        raise RowError("external_id is required for a new customer")
    if customer is None and not rec.name:
        raise RowError("name is required for a new customer")
    me = customer.id if customer else None
    for address in sorted({rec.email, *(a for a in rec.notify.values() if a)}):
        other = await _owner_of_address(session, address, me)
        if other is not None:
            raise RowError(f"address {address} already belongs to customer {other.external_id}")
    existing = [await _service_to_update(session, me, svc) for svc in rec.services]

    wanted: dict[str, Any] = {"email": rec.email, **rec.notify}
    if rec.name:
        wanted["name"] = rec.name
    if rec.lang:
        wanted["lang"] = rec.lang
    changed = True
    if customer is None:
        customer = Customer(external_id=rec.external_id, **wanted)
        session.add(customer)
        await session.flush()
        tally.customers_created += 1
    elif any(getattr(customer, k) != v for k, v in wanted.items()):
        for k, v in wanted.items():
            setattr(customer, k, v)
        tally.customers_updated += 1
    else:
        changed = False
    for svc, old in zip(rec.services, existing):
        if old is None:
            session.add(Service(customer_id=customer.id, order_number=svc.order_number, name=svc.name,
                                ips=list(svc.ips)))
            tally.services_created += 1
            changed = True
        elif old.name != svc.name or list(old.ips or []) != list(svc.ips):
            old.name, old.ips = svc.name, list(svc.ips)
            tally.services_updated += 1
            changed = True
    tally.unchanged += not changed
    await session.flush()
    return customer


async def _service_to_update(session: AsyncSession, me: int | None, svc: ServiceRecord) -> Service | None:
    """The stored service of this order (None: a new one), after checking that neither the order
    nor any of its IPs is another customer's."""
    existing = await session.scalar(select(Service).where(Service.order_number == svc.order_number))
    if existing is not None and existing.customer_id != me:
        owner = await session.get(Customer, existing.customer_id)
        raise RowError(f"order {svc.order_number} belongs to another customer ({owner.external_id if owner else '?'})")
    for ip in svc.ips:
        others = select(Service).where(cast(Service.ips, String).like(f'%"{ip}"%'))
        if me is not None:
            others = others.where(Service.customer_id != me)
        for taken in (await session.scalars(others)).all():
            if ip in (taken.ips or []):  # the LIKE on the JSON text only narrows it down
                raise RowError(f"IP {ip} is already on order {taken.order_number} of another customer")
    return existing
