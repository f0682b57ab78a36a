"""The service a customer is writing about, as they wrote it, or the registered name it matches.

The product families follow the provider's catalogue naming: "VPS SSD-4", "Cloud VPS L",
"Dedicated E-2388G", "Dedicated EPYC 7313P", "Storage Server 8TB". A bare "VPS" or "serveur dédié"
names a kind of service, not a service, and is not returned.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

_SIZE = r"(?:XXL|XL|XS|S|M|L)"
_PATTERNS = [
    # VPS SSD-4, VPS NVMe 2, Cloud VPS L, cloud vps xl, VPS Pro 3
    re.compile(rf"\b(?:cloud[ -]?)?v[pd]s[ -](?:ssd|nvme|hdd|pro|start|lite|basic|business|premium)[ -]?\d{{1,3}}\b"
               rf"|\b(?:cloud[ -]?)?v[pd]s[ -]{_SIZE}\b(?!['’-])"
               rf"|\bcloud[ -]?(?:vps|server)[ -](?:{_SIZE}|\d{{1,3}})\b(?!['’-])", re.I),
    # Dedicated E-2388G, Dedicated EPYC 7313P, Dedicated Xeon E-2236, Dedicated i7-8700, Dedicated Ryzen 9 5950X,
    # Dedicated AMD EPYC 9254, Dedicated Intel Xeon E-2288G
    re.compile(r"\bdedicated(?:[ -]server)?[ -](?:(?:amd|intel)[ -])?(?:(?:epyc|xeon|ryzen|intel|amd|core|opteron|"
               r"threadripper)(?: \d)? )?"
               r"(?:[a-z]{1,3}\d?-?)?\d{3,5}[a-z]{0,3}\b", re.I),
    # Storage Server 8TB, Backup Storage 500 GB, Storage 4TB
    re.compile(r"\b(?:(?:backup|storage|nas) )?(?:storage|backup)(?: server)? ?\d{1,4} ?[tg]b\b", re.I),
    # GPU Server A100 and other "<Family> Server <model>" names
    re.compile(r"\bgpu[ -]server[ -][a-z]{0,3}\d{2,5}[a-z]{0,3}\b", re.I),
]
# A word each pattern above needs (one of them): a text with none of them names no service. re.I matches
# an ASCII letter of the patterns to that letter in either case, and to these four other characters
# only ("İ" and "ı" to i, "ſ" to s, the Kelvin sign to k; test_slot_parsers checks every code point): a
# text without them has a needed word in its lower-case form wherever a pattern could match.
_NEEDED = ("vps", "vds", "cloud", "dedicated", "storage", "backup", "gpu")
_ASCII_LOOKALIKES = frozenset("\u0130\u0131\u017f\u212a")
_SPACES = re.compile(r"\s+")
_KEY_DROP = re.compile(r"[\s_-]+")


def _key(name: str) -> str:
    return _KEY_DROP.sub("", name.lower())


@lru_cache(maxsize=256)
def _flexible(name: str) -> re.Pattern[str]:
    """"VPS SSD-4" -> a pattern that also accepts "vps ssd4", "VPS-SSD 4" as a whole word."""
    return re.compile(r"(?<!\w)" + r"[\s_-]*".join(re.escape(ch) for ch in _key(name)) + r"(?!\w)", re.I)


def _known_match(text: str, known_services: Sequence[str]) -> str | None:
    """A registered service named in the text; the longest wins so "Cloud VPS L" is not read as "VPS L"."""
    hits = [name for name in known_services if _key(name) and _flexible(name).search(text)]
    return max(hits, key=len) if hits else None


def _may_name_a_service(text: str) -> bool:
    """False when no pattern can match: a quick test, the patterns' scan costs more."""
    if not text.isascii() and not _ASCII_LOOKALIKES.isdisjoint(text):
        return True
    return any(map(text.lower().__contains__, _NEEDED))


def parse_service(text: str, known_services: Sequence[str] = ()) -> str | None:
    """The service name in a message or short answer ("my VPS SSD-4"); a registered name when the
    text names one of `known_services`, else the name as the customer wrote it."""
    candidates: list[tuple[int, str]] = []
    if _may_name_a_service(text):
        for pattern in _PATTERNS:
            for m in pattern.finditer(text):
                candidates.append((m.start(), _SPACES.sub(" ", m.group(0)).strip()))
    candidates.sort()
    if known_services:
        known = _known_match(text, known_services)
        if known:
            return known
        for _, cand in candidates:
            for name in known_services:
                if _key(name).endswith(_key(cand)) or _key(cand).endswith(_key(name)):
                    return name
        # A short answer naming only the model ("SSD-4", "the E-2388G") of a registered service.
        stripped = _key(text)
        if 2 <= len(stripped) <= 24:
            for name in known_services:
                if _key(name).endswith(stripped):
                    return name
    return candidates[0][1] if candidates else None
