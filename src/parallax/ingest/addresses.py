"""Which hosts the fetcher may connect to: public addresses only, in every spelling.

A host is refused when any address it stands for is loopback, private,
link-local, multicast, reserved, unspecified or shared (CGNAT) — including
IPv4 written as one number (``2130706433``), in hex (``0x7f000001``), octal
or short form (``127.1``), and IPv6 that embeds such an IPv4 address
(``::ffff:127.0.0.1``, 6to4, NAT64). Names resolve first and every answer is
checked, so a public-looking name pointing inward is refused too.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import unquote

from parallax.errors import BlockedAddress, FetchError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# (host, port) -> the IP addresses a connection to that host would use.
Resolver = Callable[[str, int], Sequence[str]]

PRIVATE_HINT = "pass --allow-private-hosts to fetch from private networks"
_CGNAT = ipaddress.IPv4Network("100.64.0.0/10")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


def system_resolver(host: str, port: int) -> list[str]:
    """Every address the operating system resolves ``host`` to, as a socket would."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def _ipv4_part(text: str) -> int:
    """One part of an inet_aton address: decimal, 0x-hex or 0-led octal."""
    if text[:2].lower() == "0x":
        return int(text[2:] or "0", 16)
    if len(text) > 1 and text.startswith("0"):
        return int(text[1:], 8)
    if not text.isdigit():
        raise ValueError(text)
    return int(text)


def parse_ipv4_any(host: str) -> ipaddress.IPv4Address | None:
    """``host`` as IPv4 in any form inet_aton and browsers accept (``127.1``, ``0x7f000001``)."""
    parts = host.split(".")
    if not 1 <= len(parts) <= 4 or not all(parts):
        return None
    try:
        numbers = [_ipv4_part(part) for part in parts]
    except ValueError:
        return None
    # All parts but the last are single bytes; the last fills the remaining bytes.
    if any(n > 255 for n in numbers[:-1]) or numbers[-1] >= 256 ** (5 - len(numbers)):
        return None
    value = 0
    for n in numbers[:-1]:
        value = value * 256 + n
    value = value * 256 ** (5 - len(numbers)) + numbers[-1]
    return ipaddress.IPv4Address(value)


def parse_ip_literal(host: str) -> IPAddress | None:
    """The address ``host`` spells directly (brackets, zone id, final dot allowed), or None."""
    text = unquote(host).strip().lower().removeprefix("[").removesuffix("]")
    if ":" in text:
        try:
            return ipaddress.IPv6Address(text.split("%", 1)[0])
        except ValueError:
            return None
    return parse_ipv4_any(text.removesuffix("."))


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address routes to (mapped, 6to4, Teredo, NAT64), if any."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def non_public_reason(ip: IPAddress) -> str | None:
    """Why ``ip`` is not a public address (``"a loopback address"``), or None when it is."""
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_ipv4(ip)
        if inner is not None:
            reason = non_public_reason(inner)
            if reason:
                return f"{reason} ({inner}) inside an IPv6 address"
            if ip.ipv4_mapped is not None or ip in _NAT64:
                # These stand for the IPv4 address itself, which is public.
                return None
    checks = (
        (ip.is_unspecified, "an unspecified address"),
        (ip.is_loopback, "a loopback address"),
        (ip.is_link_local, "a link-local address"),
        (ip.is_multicast, "a multicast address"),
        (isinstance(ip, ipaddress.IPv4Address) and ip in _CGNAT, "a shared (CGNAT) address"),
        (ip.is_private, "a private address"),
        (ip.is_reserved, "a reserved address"),
        (not ip.is_global, "not a public address"),
    )
    return next((reason for flagged, reason in checks if flagged), None)


def _is_loopback_name(host: str) -> bool:
    name = host.lower().rstrip(".")
    return name == "localhost" or name.endswith(".localhost")


@dataclass(frozen=True, slots=True)
class AddressGuard:
    """Resolves a host; refuses it unless every address is public or private hosts are allowed."""

    allow_private: bool = False
    resolver: Resolver = system_resolver

    def addresses(self, host: str, port: int, url: str) -> list[str]:
        """Checked addresses to connect to for ``host``; ``BlockedAddress`` if one is not public."""
        literal = parse_ip_literal(host)
        if literal is not None:
            self._check(literal, host, url)
            return [str(literal)]
        if _is_loopback_name(host) and not self.allow_private:
            raise BlockedAddress(f"refusing {url}: {host} is a loopback name; {PRIVATE_HINT}")
        try:
            answers = list(self.resolver(host, port))
        except (OSError, UnicodeError) as exc:
            raise FetchError(
                f"cannot resolve {host} for {url} ({exc}); check the address and your network"
            ) from exc
        if not answers:
            raise FetchError(f"cannot resolve {host} for {url}; check the address")
        checked: list[str] = []
        for answer in answers:
            ip = parse_ip_literal(answer)
            if ip is None:
                raise FetchError(f"resolver gave {answer!r} for {host} ({url}), not an IP address")
            self._check(ip, host, url)
            checked.append(str(ip))
        return checked

    def _check(self, ip: IPAddress, host: str, url: str) -> None:
        if self.allow_private:
            return
        reason = non_public_reason(ip)
        if reason:
            shown = host if parse_ip_literal(host) == ip else f"{host} resolves to {ip}, which"
            raise BlockedAddress(f"refusing {url}: {shown} is {reason}; {PRIVATE_HINT}")
