"""Structured logs: one JSON object per line, with the conversation and ticket a line is about.

`bind(conversation_id=…)` puts fields into a context variable for the code below it (a turn, a
mail), so every line logged there carries them without each call passing them. A redaction
filter runs before any handler: a secret or password never reaches a log, whether it was passed
as a field, formatted into the message, or sits in a URL's userinfo. Messages are JSON-escaped, so
a customer who writes a newline cannot forge a log line.
"""
from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any, TextIO

log_fields: ContextVar[Mapping[str, Any]] = ContextVar("log_fields", default=MappingProxyType({}))

SECRET_KEYS = re.compile(r"pass(word|wd)?|secret|token|api[_-]?key|authorization|cookie|credential|"
                         r"customer_hash|signature|csrf", re.IGNORECASE)
MASK = "***"
# key=value / "key": "value" pairs whose key names a secret, and credentials inside URLs.
_PAIR = re.compile(r"""(?P<key>["']?[\w-]*(?:pass(?:word|wd)?|secret|token|api[_-]?key|authorization|cookie|"""
                   r"""customer_hash|signature|csrf)[\w-]*["']?\s*[:=]\s*)(?P<value>"[^"]*"|'[^']*'|[^\s,;&}]+)""",
                   re.IGNORECASE)
_URL_USERINFO = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]*://)(?P<user>[^:/@\s]*):(?P<pw>[^@/\s]+)@", re.IGNORECASE)
_BEARER = re.compile(r"\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}", re.IGNORECASE)
_LINE_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "taskName"}


@contextmanager
def bind(**fields: Any) -> Iterator[None]:
    """Add fields to every log line written inside the block (nested blocks add to outer ones)."""
    token = log_fields.set({**log_fields.get(), **{k: v for k, v in fields.items() if v is not None}})
    try:
        yield
    finally:
        log_fields.reset(token)


def add_fields(**fields: Any) -> None:
    """Add fields for the rest of the enclosing `bind` block (e.g. a ticket opened mid-turn)."""
    log_fields.set({**log_fields.get(), **{k: v for k, v in fields.items() if v is not None}})


def redact_text(text: str, secrets: tuple[str, ...] = ()) -> str:
    text = _URL_USERINFO.sub(lambda m: f"{m['scheme']}{m['user']}:{MASK}@", text)
    text = _BEARER.sub(lambda m: f"{m.group(1)} {MASK}", text)
    text = _PAIR.sub(lambda m: f"{m['key']}{MASK}", text)
    for secret in secrets:
        text = text.replace(secret, MASK)
    return text


def redact_value(key: str, value: Any, secrets: tuple[str, ...] = ()) -> Any:
    if SECRET_KEYS.search(key):
        return MASK if value not in (None, "", False) else value
    if isinstance(value, dict):
        return {k: redact_value(str(k), v, secrets) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [redact_value(key, v, secrets) for v in value]
    if isinstance(value, str):
        return redact_text(value, secrets)
    return value


class RedactingFilter(logging.Filter):
    """Masks secrets in the message, its arguments and extra fields. `secrets` are the configured
    secret values themselves (masked wherever they appear, whatever the key)."""

    def __init__(self, secrets: tuple[str, ...] = ()) -> None:
        super().__init__()
        # Short values would mask innocent text everywhere; real secrets are long.
        self.secrets = tuple(s for s in secrets if s and len(s) >= 6)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        record.msg, record.args = redact_text(message, self.secrets), None
        for key, value in list(vars(record).items()):
            if key not in _STANDARD:
                setattr(record, key, redact_value(key, value, self.secrets))
        if record.exc_info and record.exc_info[1] is not None and not record.exc_text:
            record.exc_text = redact_text(logging.Formatter().formatException(record.exc_info), self.secrets)
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(log_fields.get())
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_text or record.exc_info:
            entry["exception"] = record.exc_text or self.formatException(record.exc_info)  # type: ignore[arg-type]
        # JSON escapes control characters; these three are line breaks to some readers as well.
        return json.dumps(entry, ensure_ascii=False, default=str).translate(_LINE_BREAKS)


def configure(level: str = "INFO", secrets: tuple[str, ...] = (), stream: TextIO | None = None,
              logger: logging.Logger | None = None) -> logging.Handler:
    """Replace the root logger's (or `logger`'s) handlers with one JSON handler behind the
    redaction filter."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RedactingFilter(secrets))
    root = logger or logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    return handler
