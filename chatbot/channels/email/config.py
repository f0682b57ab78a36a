"""The email channel's settings, checked once at start (a bad one stops the start, naming it)."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import timedelta

from chatbot.channels.email.imap import WatchOptions
from chatbot.channels.email.imap_client import ImapConfig
from chatbot.channels.email.loop_guard import RateLimitPolicy
from chatbot.channels.email.smtp import SmtpSender
from chatbot.settings import Settings, SettingsError


@dataclass(frozen=True)
class EmailConfig:
    support_address: str
    domain: str                      # of our Message-IDs
    secret: bytes = field(repr=False)  # signs the conversation token in our Message-IDs
    own_addresses: frozenset[str] = frozenset()
    mailbox: str = "INBOX"
    max_message_bytes: int = 25 * 1024 * 1024
    max_attachment_bytes: int = 10 * 1024 * 1024
    rate: RateLimitPolicy = field(default_factory=RateLimitPolicy)
    ack_hold: timedelta = timedelta(seconds=90)
    sender_name: str = "INTROSERV Support"
    identity_secret: str = field(default="", repr=False)
    trusted_authserv_id: str | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> EmailConfig:
        support = settings.support_address.strip().lower()
        if "@" not in support:
            raise SettingsError("setting CHATBOT_SUPPORT_ADDRESS must be an email address")
        domain = (settings.email_domain or support.rpartition("@")[2]).strip().lower()
        own = {a.strip().lower() for a in settings.email_own_addresses.split(",") if a.strip()}
        own |= {support}
        if settings.imap_user and "@" in settings.imap_user:
            own.add(settings.imap_user.strip().lower())
        if settings.email_auto_replies_per_hour < 1 or settings.email_auto_replies_per_day < 1:
            raise SettingsError("settings CHATBOT_EMAIL_AUTO_REPLIES_PER_HOUR/_PER_DAY must be at least 1")
        # A key of its own, derived from the app secret: Message-ID tokens cannot be confused with
        # chat resume tokens signed by the same secret.
        secret = hashlib.sha256(b"email-message-id:" + settings.secret_key.encode()).digest()
        return cls(
            support_address=support, domain=domain, secret=secret, own_addresses=frozenset(own),
            mailbox=settings.imap_folder or "INBOX", max_message_bytes=settings.email_max_message_bytes,
            max_attachment_bytes=settings.email_max_attachment_bytes,
            rate=RateLimitPolicy(settings.email_auto_replies_per_hour, settings.email_auto_replies_per_day),
            ack_hold=timedelta(seconds=max(0, settings.email_ack_hold_seconds)),
            identity_secret=settings.identity_secret, trusted_authserv_id=settings.trusted_authserv_id or None)


def imap_config(settings: Settings) -> ImapConfig:
    if not settings.imap_user or not settings.imap_password:
        raise SettingsError("settings CHATBOT_IMAP_USER and CHATBOT_IMAP_PASSWORD are required with CHATBOT_IMAP_HOST")
    tls = "tls" if settings.imap_tls else ("starttls" if settings.imap_starttls else "none")
    return ImapConfig(settings.imap_host, settings.imap_port, settings.imap_user, settings.imap_password,
                      mailbox=settings.imap_folder or "INBOX", tls=tls)  # type: ignore[arg-type]


def watch_options(settings: Settings) -> WatchOptions:
    return WatchOptions(max_message_bytes=settings.email_max_message_bytes,
                        processed_keyword=settings.imap_processed_keyword or "$Processed",
                        poll_interval=float(max(1, settings.email_poll_seconds)))


def smtp_sender(settings: Settings) -> SmtpSender:
    if not settings.smtp_host:
        raise SettingsError("setting CHATBOT_SMTP_HOST is required with CHATBOT_IMAP_HOST: replies need it")
    return SmtpSender(settings.smtp_host, settings.smtp_port, settings.smtp_user or None,
                      settings.smtp_password or None, tls=settings.smtp_tls)  # type: ignore[arg-type]
