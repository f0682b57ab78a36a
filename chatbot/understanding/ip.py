"""The server's IP address, validated and normalised (IPv4 dotted, IPv6 compressed lower-case).

Candidates are found with simple bounded patterns and then validated by `ipaddress`, so "22.04",
"49.99", "1.2.3.4.5" or a dotted phone number never pass. Quoted old messages are removed before
this runs (quoting.py), so an IP quoted from a previous mail is not taken either.

An address the text places on the customer's side is not the server's: their office, home or VPN
address, a source to allow or whitelist ("only allow ssh from my office ip 203.0.113.50", "IP naszego
biura … do białej listy", "unsere Büro-IP freigeben"), or a public resolver they ping (8.8.8.8).
"""
from __future__ import annotations

import ipaddress
import re

from .normalize import fold

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
# Public resolvers customers test connectivity with: never the server in question.
_RESOLVERS = frozenset(ipaddress.ip_address(a) for a in (
    "8.8.8.8", "8.8.4.4", "1.1.1.1", "1.0.0.1", "9.9.9.9", "149.112.112.112", "208.67.222.222", "208.67.220.220",
    "2001:4860:4860::8888", "2001:4860:4860::8844", "2606:4700:4700::1111", "2606:4700:4700::1001"))
# Words that put an address on the customer's side, just before it in the same clause (on folded text).
_CLIENT_BEFORE = re.compile(
    r"(?:office|home|house|bureau|agence|domicile|maison|biur\w*|domow\w*|oficina|casa|buro|zuhause|heim\w*|vpn|"
    r"isp|source|origin|origine|origen|zrodl\w*|quell\w*|whitelist\w*|allowlist\w*|liste blanche|lista blanca|"
    r"bial\w* list\w*|allow(?:ing)?|permit|autoris\w*|permiti\w*|permitid|zezwol\w*|dopusc\w*|erlaub\w*|"
    r"zulass\w*|freigeb\w*|freischalt\w*|from (?:my|our)|depuis (?:mon|ma|notre|nos)|desde (?:mi|mis|nuestr\w*)|"
    r"z (?:mojego|naszego|mojej|naszej)|von (?:meiner|unserer|meinem|unserem)|only from|uniquement depuis|"
    r"seulement depuis|solo desde|solamente desde|unicamente desde|tylko z|nur von|nur aus|pinging|ping to|"
    r"ping vers|ping do|ping a|ping zu|ping auf)\b([^.;!?\n\d]{0,24})$")
# ... unless the server is named in between ("whitelist on server 5.196.88.123")
_SERVER_WORD = re.compile(r"\b(?:server\w*|serveur\w*|serwer\w*|servidor\w*|vps|dedi\w*|machine\w*|maschine\w*|"
                          r"maszyn\w*|maquina\w*|host)\b")
_CLIENT_AFTER = re.compile(
    r"^[^.;!?\n\d]{0,24}?\b(?:whitelist\w*|allowlist\w*|liste blanche|lista blanca|bial\w* list\w*|freigeb\w*|"
    r"freischalt\w*|zulass\w*|erlaub\w*|autoris\w*|zezwol\w*|dopusc\w*)")


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


def _found(text: str) -> list[tuple[int, int, str]]:
    """(start, end, normalised IP) of every valid IP, in order of appearance."""
    found: list[tuple[int, int, str]] = []
    if text.count(".") >= 3:  # a dotted quad has three dots: most messages have fewer, and need no scan
        for m in _V4.finditer(text):
            ip = _v4(m.group(1), text[:m.start()])
            if ip:
                found.append((m.start(1), m.end(1), ip))
    if ":" in text:
        for m in _V6.finditer(text):
            ip = _v6(m.group(1))
            if ip:
                found.append((m.start(1), m.end(1), ip))
    return sorted(found)


def find_ips(text: str) -> list[str]:
    """Every valid IP in order of appearance, normalised, without duplicates."""
    seen: list[str] = []
    for _, _, ip in _found(text):
        if ip not in seen:
            seen.append(ip)
    return seen


def _client_side(text: str, start: int, end: int, ip: str) -> bool:
    if ipaddress.ip_address(ip) in _RESOLVERS:
        return True
    before = fold(text[max(0, start - 60):start])
    after = fold(text[end:end + 40])
    m = _CLIENT_BEFORE.search(before)
    if m and not _SERVER_WORD.search(m.group(1)):
        return True
    return bool(_CLIENT_AFTER.search(after))


def parse_ip(text: str) -> str | None:
    """The server IP in a message or a short answer ("it's 1.2.3.4"); a public address is preferred
    over a private one (a customer's router or LAN address is rarely the server in question), and an
    address on the customer's side (office, home, a source to allow, a resolver) is never taken."""
    ips = [ip for start, end, ip in _found(text) if not _client_side(text, start, end, ip)]
    if not ips:
        return None
    for ip in ips:
        addr = ipaddress.ip_address(ip)
        if not any(addr in net for net in _LOCAL_NETS if net.version == addr.version):
            return ip
    return ips[0]
