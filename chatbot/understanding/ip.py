"""The server's IP address, validated and normalised (IPv4 dotted, IPv6 compressed lower-case).

Candidates are found with simple bounded patterns and then validated by `ipaddress`, so "22.04",
"49.99", "1.2.3.4.5" or a dotted phone number never pass. Quoted old messages are removed before
this runs (quoting.py), so an IP quoted from a previous mail is not taken either.
"""
from __future__ import annotations

import ipaddress
import re

# Dotted quad not touching other digits or dots (a version "10.0.19045.1" or a phone "06.12.34.56.78"
# is a longer dotted run and is rejected as a whole).
_V4 = re.compile(r"(?<![\w.])(\d{1,3}(?:\.\d{1,3}){3})(?![\w-]|\.\d)")
# Hex groups joined by colons; at least two colons. Bounded: at most 8 groups of 1-4 hex digits.
_V6 = re.compile(r"(?<![\w:.])((?:[0-9A-Fa-f]{1,4})?(?::(?:[0-9A-Fa-f]{1,4})?){2,8}(?:\.\d{1,3}){0,3})(?![\w:])")
_VERSION_BEFORE = re.compile(r"(?:version|vers\.|wersj[aie]|versi[oó]n|ver\.|v|release|build)\s*$", re.I)
# Addresses of a LAN or the machine itself; documentation ranges (2001:db8::/32, 192.0.2.0/24) are
# not here on purpose: customers and examples use them as the server's address.
_LOCAL_NETS = tuple(ipaddress.ip_network(n) for n in (
    "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
    "fc00::/7", "fe80::/10"))
_CLOCK = re.compile(r"^\d{1,2}:\d{2}(?::\d{2})?$")


def _v4(candidate: str, before: str) -> str | None:
    if _VERSION_BEFORE.search(before[-12:]):
        return None
    try:
        addr = ipaddress.IPv4Address(candidate)
    except ValueError:  # 300.1.2.3, leading zeros
        return None
    if addr.is_unspecified:
        return None
    return str(addr)


def _v6(candidate: str) -> str | None:
    if _CLOCK.match(candidate) or candidate.count(":") < 2:
        return None
    try:
        addr = ipaddress.IPv6Address(candidate)
    except ValueError:
        return None
    if addr.is_unspecified or addr.is_loopback:
        return None
    if "::" not in candidate and candidate.count(":") < 7:
        return None
    return addr.compressed.lower()


def find_ips(text: str) -> list[str]:
    """Every valid IP in order of appearance, normalised, without duplicates."""
    found: list[tuple[int, str]] = []
    for m in _V4.finditer(text):
        ip = _v4(m.group(1), text[:m.start()])
        if ip:
            found.append((m.start(), ip))
    if ":" in text:
        for m in _V6.finditer(text):
            ip = _v6(m.group(1))
            if ip:
                found.append((m.start(), ip))
    seen: list[str] = []
    for _, ip in sorted(found):
        if ip not in seen:
            seen.append(ip)
    return seen


def parse_ip(text: str) -> str | None:
    """The server IP in a message or a short answer ("it's 1.2.3.4"); a public address is preferred
    over a private one (a customer's router or LAN address is rarely the server in question)."""
    ips = find_ips(text)
    if not ips:
        return None
    for ip in ips:
        addr = ipaddress.ip_address(ip)
        if not any(addr in net for net in _LOCAL_NETS if net.version == addr.version):
            return ip
    return ips[0]
