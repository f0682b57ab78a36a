"""Typed settings, read once at start from CHATBOT_* environment variables and an optional TOML file.

Precedence: environment variable > config file (CHATBOT_CONFIG or ./chatbot.toml) > default.
A bad value stops the start with a sentence that names the setting.
"""
from __future__ import annotations

import os
import secrets
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Mapping

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE = PROJECT_ROOT / "var" / "chatbot.sqlite3"
SECRET_FIELDS = frozenset({"secret_key", "identity_secret", "imap_password", "smtp_password"})


class SettingsError(ValueError):
    pass


@dataclass(frozen=True)
class Settings:
    database_url: str = f"sqlite+aiosqlite:///{DEFAULT_SQLITE}"
    # PostgreSQL connections each process keeps open, and how many more it may open for a burst. A
    # chat turn checks one out only for a statement or a batch (chatbot/turn_locks.py), unless it waits
    # for another process's turn lock. Processes × (both) < max_connections (docs/scaling.md).
    database_pool_size: int = 30
    database_max_overflow: int = 10
    host: str = "127.0.0.1"
    port: int = 8080
    # Signs chat resume tokens and outgoing Message-IDs. Set it in production: a random default
    # means tokens do not survive a restart.
    secret_key: str = field(default_factory=lambda: secrets.token_hex(32))
    # Shared with the client area, which signs the customer id it embeds in the widget (HMAC-SHA256).
    identity_secret: str = ""
    # authserv-id of our receiving mail server (the first word of its Authentication-Results headers,
    # e.g. "mx.introserv.com"): only its SPF/DKIM/DMARC verdicts are believed.
    trusted_authserv_id: str = ""
    desk_file: str = ""
    redis_url: str = ""
    # The Redis pub/sub channel the processes of one deployment share: give staging and production
    # (or two test runs) on one Redis different channels, as pub/sub ignores the database number.
    redis_channel: str = "chatbot"
    demo_data: bool = True
    max_message_chars: int = 4000
    # Abuse limits: a burst, then a steady rate per minute (0 per minute: unlimited). Per-address limits
    # are shared by all processes through redis_url when it is set, else each process has its own.
    chat_messages_per_minute: int = 30
    chat_message_burst: int = 15
    chat_address_messages_per_minute: int = 300  # an office behind one NAT address is many visitors
    chat_address_message_burst: int = 100
    chat_connections_per_minute: int = 60
    chat_connection_burst: int = 30
    # Reverse proxies (comma-separated networks) whose X-Forwarded-For/-Proto headers are believed.
    trusted_proxies: str = ""
    max_body_bytes: int = 256 * 1024  # longest HTTP request body, for every route
    # A customer message whose turn has not finished after this many seconds (process killed, database
    # away) is taken up again by chatbot/recovery.py.
    turn_retry_after: int = 60
    log_level: str = "INFO"
    support_address: str = "support@introserv.com"
    # Email channel (used when imap_host is set).
    imap_host: str = ""
    imap_port: int = 993
    imap_user: str = ""
    imap_password: str = ""
    imap_tls: bool = True
    imap_folder: str = "INBOX"
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_tls: str = "starttls"  # "starttls" | "tls" | "none"
    imap_starttls: bool = False  # with imap_tls false: upgrade a plain connection (port 143) with STARTTLS
    imap_processed_keyword: str = "$Processed"  # set on a mail once it is safely stored (\Seen if refused)
    # Domain of our outgoing Message-IDs (default: the support address's domain).
    email_domain: str = ""
    # More addresses that are ours (comma-separated): never answered automatically, loops otherwise.
    email_own_addresses: str = ""
    email_max_message_bytes: int = 25 * 1024 * 1024  # larger mails stay in the mailbox, sender is told
    email_max_attachment_bytes: int = 10 * 1024 * 1024
    email_auto_replies_per_hour: int = 5  # per recipient address
    email_auto_replies_per_day: int = 20
    # A new mail's acknowledgement is queued at once and completed by the bot's answer (ticket, team,
    # questions); if that answer is not ready after this many seconds, the plain acknowledgement goes.
    email_ack_hold_seconds: int = 90
    email_poll_seconds: int = 10  # when the IMAP server has no IDLE
    email_send_retry_seconds: int = 30  # first wait after a 4xx or an unreachable relay, then doubling
    # One process reads the mailbox; if it dies, another (or the restarted one) takes over after this.
    email_mailbox_lease_seconds: int = 10
    management_email: str = "management@introserv.com"

    def redacted(self) -> dict[str, Any]:
        """The settings as a dict with secrets masked, for logs."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            out[f.name] = "***" if f.name in SECRET_FIELDS and value else value
        return out

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def _convert(name: str, raw: Any, default: Any) -> Any:
    try:
        if isinstance(default, bool):
            if isinstance(raw, bool):
                return raw
            text = str(raw).strip().lower()
            if text in {"1", "true", "yes", "on"}:
                return True
            if text in {"0", "false", "no", "off"}:
                return False
            raise ValueError(f"expected true/false, got {raw!r}")
        if isinstance(default, int):
            return int(raw)
        return str(raw)
    except ValueError as exc:
        raise SettingsError(f"setting CHATBOT_{name.upper()} is invalid: {exc}") from exc


def load_settings(env: Mapping[str, str] | None = None, config_file: str | Path | None = None) -> Settings:
    env = os.environ if env is None else env
    path = config_file or env.get("CHATBOT_CONFIG") or (Path.cwd() / "chatbot.toml")
    from_file: dict[str, Any] = {}
    if path and Path(path).exists():
        try:
            from_file = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise SettingsError(f"config file {path} is unreadable: {exc}") from exc
    elif config_file or env.get("CHATBOT_CONFIG"):
        raise SettingsError(f"config file {path} does not exist (CHATBOT_CONFIG)")
    defaults = Settings(secret_key="")
    known = {f.name for f in fields(Settings)}
    unknown = set(from_file) - known
    if unknown:
        raise SettingsError(f"config file {path}: unknown setting(s) {', '.join(sorted(unknown))}")
    values: dict[str, Any] = {}
    for name in known:
        raw = env.get(f"CHATBOT_{name.upper()}", from_file.get(name))
        if raw is not None:
            values[name] = _convert(name, raw, getattr(defaults, name))
    settings = Settings(**values)
    if not settings.database_url.split(":", 1)[0].startswith(("sqlite", "postgresql")):
        raise SettingsError("setting CHATBOT_DATABASE_URL must be an sqlite+aiosqlite:// or postgresql+asyncpg:// URL")
    if settings.database_pool_size < 1 or settings.database_max_overflow < 0:
        raise SettingsError("settings CHATBOT_DATABASE_POOL_SIZE (at least 1) and CHATBOT_DATABASE_MAX_OVERFLOW"
                            " (at least 0) are out of range")
    if not 1 <= settings.port <= 65535:
        raise SettingsError("setting CHATBOT_PORT must be between 1 and 65535")
    try:
        from chatbot.ratelimit import parse_networks

        parse_networks(settings.trusted_proxies)
    except ValueError as exc:
        raise SettingsError(f"setting CHATBOT_TRUSTED_PROXIES is invalid: {exc}") from exc
    if settings.smtp_tls not in {"starttls", "tls", "none"}:
        raise SettingsError("setting CHATBOT_SMTP_TLS must be starttls, tls or none")
    return settings
