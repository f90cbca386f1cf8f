"""What a signature keeps of where it came from: its network, and a keyed hash of the address.

The raw address is never stored. `client_subnet` is the /24 (IPv4) or /64 (IPv6) network as
"4:" + 8 or "6:" + 16 lowercase hex digits: fixed width, so every CIDR range of whole
networks is a string range (`cidr_to_subnet_range`) in any database. `client_hash` is an
HMAC of the full address under a key derived from SECRET_KEY: it matches "this address
again" and reveals nothing without the key (the IPv4 space is small enough to brute-force a
plain hash). Moderation (bulk invalidation, fraud signals) imports these three functions.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import ipaddress

from django.conf import settings

HASH_LENGTH = 24  # base64url characters (18 bytes of the HMAC)

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@functools.lru_cache(maxsize=4096)  # bounded: a surge brings a new address per signature
def _parse(ip: str) -> Address | None:
    try:
        address = ipaddress.ip_address(ip.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped  # "::ffff:1.2.3.4" is the IPv4 client 1.2.3.4
    return address


def _encode(address: Address) -> str:
    if isinstance(address, ipaddress.IPv4Address):
        return f"4:{int(address) >> 8 << 8:08x}"
    return f"6:{int(address) >> 64:016x}"


def subnet_of(ip: str) -> str:
    """The client's /24 or /64 as stored in `client_subnet`; "" for no (or no valid) address."""
    address = _parse(ip)
    return _encode(address) if address is not None else ""


@functools.cache
def _hash_key(secret_key: str) -> bytes:
    # A key of its own, so this hash can never be confused with any other use of SECRET_KEY.
    return hashlib.sha256(b"undersigned.signatures.client_hash\0" + secret_key.encode()).digest()


def hash_client_address(ip: str) -> str:
    """The keyed hash stored in `client_hash`; "" for no (or no valid) address.

    The address is normalised first, so "2001:db8::1" and "2001:DB8:0::1" hash alike.
    """
    address = _parse(ip)
    if address is None:
        return ""
    digest = hmac.new(_hash_key(settings.SECRET_KEY), address.packed, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode()


def cidr_to_subnet_range(cidr: str) -> tuple[str, str]:
    """The inclusive (lo, hi) range of `client_subnet` values that a CIDR range covers.

    Raises ValueError for a malformed range. A range narrower than /24 (IPv4) or /64 (IPv6)
    widens to the network it lies in: that is the finest grain stored. Callers who need the
    exact address use `hash_client_address` instead.
    """
    network = ipaddress.ip_network(cidr.strip(), strict=False)
    first: Address = network.network_address
    last: Address = network.broadcast_address
    if isinstance(network, ipaddress.IPv6Network) and network.prefixlen >= 96:
        mapped_first, mapped_last = first.ipv4_mapped, last.ipv4_mapped  # type: ignore[union-attr]
        if mapped_first is not None and mapped_last is not None:
            first, last = mapped_first, mapped_last
    return _encode(first), _encode(last)
