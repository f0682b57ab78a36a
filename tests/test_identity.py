"""Who is writing: the client area's HMAC signature, the email From address, and the receiving
server's verdict on SPF, DKIM and DMARC — and the ways people try to fake each."""
from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import update

from chatbot.identity import authentication_failed, identify, sign_customer, signature_valid
from chatbot.messages import Sender
from chatbot.models import Customer
from tests.conftest import IDENTITY_SECRET

OURS = "mx.introserv.com"
GOOD = f"{OURS}; spf=pass smtp.mailfrom=example.fr; dkim=pass header.d=example.fr; dmarc=pass header.from=example.fr"


def test_the_signature_is_hmac_sha256_of_the_customer_id_with_the_shared_secret() -> None:
    # Computed with: printf C1001 | openssl dgst -sha256 -hmac client-area-shared-secret
    expected = "958afabbb52e28511e4a7f16376d0f24217892dbb86b9cba843feceb1cb3d441"
    assert sign_customer("C1001", IDENTITY_SECRET) == expected
    assert signature_valid("C1001", expected, IDENTITY_SECRET)
    assert signature_valid("C1001", expected.upper(), IDENTITY_SECRET), "hex in capitals is the same hash"


@pytest.mark.parametrize("customer_id,signature,secret", [
    ("C1002", sign_customer("C1001", IDENTITY_SECRET), IDENTITY_SECRET),  # someone else's signature
    ("C1001", sign_customer("C1001", "another-secret"), IDENTITY_SECRET),  # signed with a guessed secret
    ("C1001", hashlib.sha256(b"C1001").hexdigest(), IDENTITY_SECRET),  # a plain hash, no secret
    ("C1001", sign_customer("C1001", IDENTITY_SECRET)[:-1], IDENTITY_SECRET),  # truncated
    ("C1001", "é" * 64, IDENTITY_SECRET),  # not even hex: refused, and no crash
    ("C1001", "", IDENTITY_SECRET),
    ("C1001", sign_customer("C1001", ""), ""),  # no secret configured: nobody is verified
])
def test_anything_but_the_right_signature_is_anonymous(customer_id: str, signature: str, secret: str) -> None:
    assert not signature_valid(customer_id, signature, secret)


@pytest.mark.parametrize("headers,failed", [
    ((GOOD,), False),
    ((f"{OURS}; spf=pass; dkim=pass; dmarc=fail (p=reject) header.from=example.fr",), True),
    ((f"{OURS} 1; spf=fail smtp.mailfrom=example.fr; dkim=fail header.d=example.fr",), True),  # with a version
    ((f"{OURS}; spf=softfail; dkim=none",), True),  # neither SPF nor DKIM passes
    ((f"{OURS}; spf=fail; dkim=pass header.d=example.fr",), False),  # DKIM alone is enough
    ((f"{OURS}; spf=pass; dkim=none; dmarc=none",), False),  # no DMARC policy is not a failure
    ((f"{OURS}; dkim=fail header.s=old; dkim=pass header.s=new; spf=fail",), False),  # one good signature
    # Forged by the sender: a header from another server saying "pass" changes nothing …
    (("evil.example; spf=pass; dkim=pass; dmarc=pass", f"{OURS}; dmarc=fail"), True),
    # … nor one claiming our id, written below the one our server prepended.
    ((f"{OURS}; dmarc=fail", f"{OURS}; dmarc=pass; spf=pass; dkim=pass"), True),
    # A failure claimed by someone else is not ours either.
    (("evil.example; dmarc=fail", GOOD), False),
    # Our server always stamps what it receives: no verdict from it at all proves nothing.
    (("evil.example; spf=pass; dkim=pass; dmarc=pass",), True),
    ((), True),
])
def test_only_our_receiving_server_is_believed(headers: tuple[str, ...], failed: bool) -> None:
    assert authentication_failed(headers, OURS) is failed


def test_without_a_configured_server_a_forged_pass_cannot_hide_a_failure() -> None:
    assert authentication_failed(("mx.somewhere; dmarc=fail", "evil.example; dmarc=pass"), None)
    assert authentication_failed(("mx.somewhere; spf=fail; dkim=fail",), None)
    assert not authentication_failed((GOOD,), None)
    assert not authentication_failed((), None)


async def test_from_a_registered_or_notification_address_and_authenticated_is_verified(sessions) -> None:
    async with sessions() as db:
        # Camille's support-notification address (contact document: per-type notification addresses)
        customer, verified = await identify(db, Sender(address="Ops@Dubois-Web.example.fr",
                                                       authentication_results=(GOOD,)), IDENTITY_SECRET, OURS)
        assert verified and customer.external_id == "C1001"
        for sender in (Sender(address="stranger@example.com", authentication_results=(GOOD,)),
                       Sender(address="camille.dubois@example.fr",
                              authentication_results=(f"{OURS}; dmarc=fail header.from=example.fr",)),
                       Sender(customer_ref="C1001", signature="00" * 32)):
            assert await identify(db, sender, IDENTITY_SECRET, OURS) == (None, False)


async def test_an_address_shared_by_two_accounts_proves_neither(sessions) -> None:
    async with sessions() as db:  # data the importer refuses, written behind its back
        await db.execute(update(Customer).where(Customer.external_id == "C1002")
                         .values(notify_abuse="ops@dubois-web.example.fr"))
        await db.commit()
        assert await identify(db, Sender(address="ops@dubois-web.example.fr", authentication_results=(GOOD,)),
                              IDENTITY_SECRET, OURS) == (None, False)
