"""Who is writing: a client-area signature (chat) or a registered address (email)."""
from __future__ import annotations

import hashlib
import hmac
import re

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from chatbot.messages import Sender
from chatbot.models import Customer

# "spf=pass", "dkim=fail", "dmarc=none" … in an Authentication-Results header (RFC 8601).
_RESULT = re.compile(r"(?:^|[;\s])(dmarc|spf|dkim)\s*=\s*([a-z]+)", re.I)


def sign_customer(customer_ref: str, secret: str) -> str:
    """What the client area embeds next to the customer id (HMAC-SHA256, hex)."""
    return hmac.new(secret.encode(), customer_ref.encode(), hashlib.sha256).hexdigest()


def signature_valid(customer_ref: str | None, signature: str | None, secret: str) -> bool:
    if not (customer_ref and signature and secret):
        return False
    # Bytes: compare_digest refuses a non-ASCII str, and the signature comes from the browser.
    return hmac.compare_digest(sign_customer(customer_ref, secret).encode(), signature.strip().lower().encode())


def authserv_id(header: str) -> str:
    """The id of the server that wrote an Authentication-Results header ("mx.example.com 1; …")."""
    head = header.split(";", 1)[0].split()
    return head[0].lower() if head else ""


def authentication_failed(results: tuple[str, ...], trusted_server: str | None = None) -> bool:
    """True when the receiving server says DMARC failed, or both SPF and DKIM failed.

    Anyone can write an Authentication-Results header into a mail. With ``trusted_server`` (our
    receiving server's authserv-id, CHATBOT_TRUSTED_AUTHSERV_ID) only its headers count, and a mail
    it did not check at all counts as failed: our server stamps every mail it receives, so a missing
    verdict means the mail did not come the way customers' mail comes. Without it nobody's "pass"
    can be believed, so any failure found counts and a forged "pass" cannot hide a real failure.
    SPF or DKIM results other than pass (none, neutral, softfail, errors) are not a success; DMARC
    fails only on "fail" ("none" means the domain publishes no policy)."""
    passed: set[str] = set()
    failed: set[str] = set()
    ours = [h for h in results if authserv_id(h) == trusted_server.strip().lower()] if trusted_server else None
    if ours is not None and not ours:
        return True
    # Our server prepends its header, so the topmost one of its id is its own; one below it with
    # the same id was written by the sender (RFC 8601 asks servers to remove those, not all do).
    for header in results if ours is None else ours[:1]:
        for method, result in _RESULT.findall(header):
            method, result = method.lower(), result.lower()
            if result == "pass":
                passed.add(method)  # several DKIM signatures: one that verifies is enough
            elif method != "dmarc" or result == "fail":
                failed.add(method)

    def bad(method: str) -> bool:
        return method in failed and not (trusted_server and method in passed)

    return bad("dmarc") or (bad("spf") and bad("dkim"))


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
        found = (await session.scalars(select(Customer).where(or_(
            Customer.email == address, Customer.notify_invoices == address,
            Customer.notify_support == address, Customer.notify_abuse == address)).limit(2))).all()
        # An address shared by two accounts proves neither (the importer refuses such data).
        customer = found[0] if len(found) == 1 else None
        if customer is None or authentication_failed(sender.authentication_results, trusted_auth_server):
            return None, False
        return customer, True
    return None, False
