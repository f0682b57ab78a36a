"""Bytes of a mail part to text, whatever charset the sender's mailer claimed (or got wrong)."""
from __future__ import annotations

import codecs
import re

# Labels mailers use for a charset that Python knows under a wider, compatible name. Decoding with
# the superset is what mail clients and browsers do (WHATWG encoding standard), and it turns many
# "undecodable" legacy mails into correct text instead of replacement characters.
_SUPERSETS = {
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "ks_c_5601-1987": "cp949",
    "euc-kr": "cp949",
    "shift_jis": "cp932",
    "x-sjis": "cp932",
    "big5": "big5hkscs",
    "iso-8859-8-i": "iso-8859-8",
    "tis-620": "cp874",
    "iso-8859-11": "cp874",
    "utf8": "utf-8",
    "unicode-1-1-utf-7": "utf-7",
    "x-user-defined": "cp1252",
}
_WESTERN = {None, "cp1252", "ascii"}  # undeclared or Western labels, often UTF-8 in disguise
_LABEL = re.compile(r"[^a-z0-9_.:+-]")


def codec_for(label: str | None) -> str | None:
    """Python codec for a declared charset label, or None when the label names nothing usable."""
    if not label:
        return None
    cleaned = _LABEL.sub("", label.strip().strip("\"'").lower())
    cleaned = _SUPERSETS.get(cleaned, cleaned)
    try:
        info = codecs.lookup(cleaned)
    except (LookupError, ValueError):
        return None
    # Codecs that are not text encodings (base64, rot13, zlib...) must never be used for mail text.
    if not getattr(info, "_is_text_encoding", True):
        return None
    return info.name


def decode_text(data: bytes, declared: str | None) -> tuple[str, str | None]:
    """(text, problem): declared charset first, then UTF-8, then cp1252, then Latin-1 with replacement.

    The problem is a sentence for the operator when the declared charset was unknown or wrong.
    """
    codec = codec_for(declared)
    declared_name = (declared or "").strip()
    if codec in _WESTERN and not data.isascii():
        # Mailers label UTF-8 as us-ascii or iso-8859-1 all the time; valid UTF-8 with 8-bit bytes is
        # practically never real Latin-1 text, so it wins (and is not worth a problem report).
        try:
            return data.decode("utf-8"), None
        except UnicodeDecodeError:
            pass
    if codec is not None:
        try:
            return data.decode(codec), None
        except (UnicodeDecodeError, LookupError):
            pass
    for fallback in ("utf-8", "cp1252"):
        try:
            text = data.decode(fallback)
        except UnicodeDecodeError:
            continue
        undeclared_utf8 = not declared_name and fallback == "utf-8"  # normal modern mail
        return text, None if undeclared_utf8 else _problem(declared_name, codec, fallback)
    # Latin-1 maps every byte, so this cannot fail; replacement only matters for control bytes.
    return data.decode("latin-1", errors="replace"), _problem(declared_name, codec, "latin-1")


def _problem(declared: str, codec: str | None, used: str) -> str:
    if not declared:
        return f"text without a declared charset was read as {used}"
    if codec is None:
        return f"unknown charset {declared!r}; text was read as {used}"
    return f"text is not valid {declared}; it was read as {used}"
