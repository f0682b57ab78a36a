"""Understanding reads what the customer wrote this time, not our quoted acknowledgement."""
from __future__ import annotations

import pytest

from chatbot.channels.email.quotes import strip_quoted

ACK = "> Thank you, we received your message. Ticket [#T-000123].\n> INTROSERV Support"


@pytest.mark.parametrize("attribution", [
    "On Tue, 5 Mar 2024 at 10:00, INTROSERV Support <support@introserv.com> wrote:",
    "Le mar. 5 mars 2024 à 10:00, INTROSERV Support <support@introserv.com> a écrit :",
    "Am 05.03.2024 um 10:00 schrieb INTROSERV Support <support@introserv.com>:",
    "El mar, 5 mar 2024 a las 10:00, INTROSERV Support (<support@introserv.com>) escribió:",
    "W dniu 5.03.2024 o 10:00, INTROSERV Support pisze:",
    "-----Original Message-----",
    "-------- Message d'origine --------",
])
def test_quoted_history_is_removed_in_every_language(attribution: str) -> None:
    text = f"The IP is 203.0.113.7, it stopped at 09:40 CET.\n\n{attribution}\n{ACK}\n"
    assert strip_quoted(text) == "The IP is 203.0.113.7, it stopped at 09:40 CET."


def test_wrapped_attribution_line() -> None:
    text = "Still down.\n\nOn Tue, 5 Mar 2024 at 10:00, INTROSERV Support <support@introserv.com>\nwrote:\n" + ACK
    assert strip_quoted(text) == "Still down."


def test_outlook_header_block() -> None:
    text = ("Order 4711, please check.\n\nFrom: INTROSERV Support <support@introserv.com>\n"
            "Sent: Tuesday, March 5, 2024 10:00 AM\nTo: Anna\nSubject: Re: down\n\nThank you...")
    assert strip_quoted(text) == "Order 4711, please check."


def test_signature_and_mobile_footer() -> None:
    assert strip_quoted("Server 12 is down.\n-- \nAnna Nowak\nSales Manager, Billing") == "Server 12 is down."
    assert strip_quoted("Server 12 is down.\n\nEnvoyé de mon iPhone") == "Server 12 is down."


def test_interleaved_answers_keep_the_customer_lines() -> None:
    text = "> Which service?\nThe VPS vps-12.\n> Since when?\nSince 09:40 CET."
    assert strip_quoted(text) == "The VPS vps-12.\nSince 09:40 CET."


def test_a_mail_that_is_only_a_quote_keeps_its_text() -> None:
    assert strip_quoted("> forwarded complaint\n> from my customer") == "> forwarded complaint\n> from my customer"


def test_customer_words_that_look_like_attributions_survive() -> None:
    text = "My colleague wrote the config on Monday.\nFrom: the logs, nothing else."
    assert strip_quoted(text) == text
