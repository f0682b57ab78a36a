"""Who is writing: a client-area signature (chat) or a registered address (email)."""
from __future__ import annotations

import hashlib
import hmac
import re

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from chatbot.messages import Sender
from chatbot.models import Customer

_FAILED = re.compile(r"\b(dmarc|spf|dkim)\s*=\s*(fail|softfail|permerror|temperror|none)\b", re.I)
_PASSED = re.compile(r"\b(dmarc|spf|dkim)\s*=\s*pass\b", re.I)


def sign_customer(customer_ref: str, secret: str) -> str:
    """What the client area embeds next to the customer id (HMAC-SHA256, hex)."""
    return hmac.new(secret.encode(), customer_ref.encode(), hashlib.sha256).hexdigest()


def signature_valid(customer_ref: str | None, signature: str | None, secret: str) -> bool:
    if not (customer_ref and signature and secret):
        return False
    return hmac.compare_digest(sign_customer(customer_ref, secret), signature.strip().lower())


def authentication_failed(results: tuple[str, ...], trusted_server: str | None = None) -> bool:
    """True when the receiving server says DMARC failed, or both SPF and DKIM failed."""
    verdicts: dict[str, str] = {}
    for header in results:
        server = header.split(";", 1)[0].strip().lower()
        if trusted_server and server != trusted_server.lower():
            continue  # anyone can write an Authentication-Results header; trust only ours
        for m in _FAILED.finditer(header):
            verdicts.setdefault(m.group(1).lower(), "fail")
        for m in _PASSED.finditer(header):
            verdicts[m.group(1).lower()] = "pass"
    if verdicts.get("dmarc") == "fail":
        return True
    return verdicts.get("spf") == "fail" and verdicts.get("dkim") == "fail"


async def identify(session: AsyncSession, sender: Sender, identity_secret: str,
                   trusted_auth_server: str | None = None) -> tuple[Customer | None, bool]:
    """The customer the sender is, and whether that is verified. Unverified means anonymous."""
    if sender.customer_ref is not None:
        if not signature_valid(sender.customer_ref, sender.signature, identity_secret):
            return None, False
        customer = await session.scalar(select(Customer).where(Customer.external_id == sender.customer_ref))
        return customer, customer is not None
    if sender.address:
        address = sender.address.strip().lower()
        customer = await session.scalar(select(Customer).where(or_(
            Customer.email == address, Customer.notify_invoices == address,
            Customer.notify_support == address, Customer.notify_abuse == address)))
        if customer is None or authentication_failed(sender.authentication_results, trusted_auth_server):
            return None, False
        return customer, True
    return None, False
