"""Catalogues and locale formatting.

Every sentence the bot says is a message id (English source text) in the gettext catalogues under
``chatbot/locales/<lang>/LC_MESSAGES/<domain>.po``. The catalogues are compiled in memory with Babel
when the process starts, so there is no build step and no stale ``.mo`` file. The language of the
current turn lives in a context variable set by the detect-language step.
"""
from __future__ import annotations

import io
from contextvars import ContextVar
from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_datetime as _babel_format_datetime
from babel.dates import format_time as _babel_format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LANGUAGES = ("fr", "pl", "es", "de", "en")
DEFAULT_LANGUAGE = "en"
DOMAINS = ("messages", "knowledge")
LOCALES_DIR = Path(__file__).with_name("locales")

current_language: ContextVar[str] = ContextVar("current_language", default=DEFAULT_LANGUAGE)


def po_path(lang: str, domain: str = "messages") -> Path:
    return LOCALES_DIR / lang / "LC_MESSAGES" / f"{domain}.po"


@cache
def translations(lang: str) -> Translations:
    """All domains of one language merged into one Translations object."""
    merged: Translations | None = None
    for domain in DOMAINS:
        path = po_path(lang, domain)
        if not path.exists():
            continue
        with path.open("rb") as fh:
            catalog = read_po(fh, locale=lang, domain=domain)
        buf = io.BytesIO()
        write_mo(buf, catalog)
        buf.seek(0)
        t = Translations(buf, domain=domain)
        if merged is None:
            merged = t
        else:
            merged.merge(t)
    return merged if merged is not None else Translations()


def gettext(msgid: str, lang: str | None = None, /, **params: Any) -> str:
    """Translate ``msgid`` into ``lang`` (default: the turn's language) and fill ``{placeholders}``."""
    text = translations(lang or current_language.get()).gettext(msgid)
    return text.format(**params) if params else text


_ = gettext


def N_(msgid: str) -> str:
    """Mark a module-level string for extraction; it is translated later, at send time."""
    return msgid


def babel_locale(lang: str | None = None) -> Locale:
    return Locale.parse(lang or current_language.get())


def _zone(tz: tzinfo | str) -> tzinfo:
    return ZoneInfo(tz) if isinstance(tz, str) else tz


def _abbrev(value: datetime, tz: tzinfo) -> str:
    # Babel's short zone names are missing in several locales (fr gives "+0100"); customers know
    # "CET"/"CEST"/"UTC", which the tz database provides.
    return value.astimezone(tz).tzname() or ""


def format_datetime(value: datetime, tz: tzinfo | str, lang: str | None = None) -> str:
    """A date and time in the customer's locale and zone, e.g. 'lundi 23 novembre 2026 09:00 CET'."""
    zone = _zone(tz)
    day = _babel_format_datetime(value, "EEEE d MMMM y", tzinfo=zone, locale=babel_locale(lang))
    clock = _babel_format_time(value, "HH:mm", tzinfo=zone, locale=babel_locale(lang))
    return f"{day} {clock} {_abbrev(value, zone)}"


def format_time(value: datetime, tz: tzinfo | str, lang: str | None = None) -> str:
    """A time of day with its zone, e.g. '09:00 CET'."""
    zone = _zone(tz)
    return f"{_babel_format_time(value, 'HH:mm', tzinfo=zone, locale=babel_locale(lang))} {_abbrev(value, zone)}"
