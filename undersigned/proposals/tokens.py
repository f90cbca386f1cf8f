"""Links that confirm a creator's or a sponsor's email: a random key plus an HMAC of it (as in
signatures/tokens.py), under a salt per kind so one kind of link never passes for another."""

from __future__ import annotations

import base64
import secrets

from django.utils.crypto import constant_time_compare, salted_hmac

CREATOR = "undersigned.proposals.creator"
SPONSOR = "undersigned.proposals.sponsor"
_MAC_LENGTH = 22


def new_key() -> str:
    return secrets.token_urlsafe(24)


def new_slug() -> str:
    return secrets.token_urlsafe(9)  # 72 random bits, 12 characters: unguessable, short


def _mac(salt: str, key: str) -> str:
    digest = salted_hmac(salt, key, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).decode("ascii")[:_MAC_LENGTH]


def token_for(salt: str, key: str) -> str:
    return f"{key}.{_mac(salt, key)}"


def key_from(salt: str, token: str) -> str | None:
    """The key a genuine token carries, or None for anything forged or malformed."""
    if len(token) > 80:
        return None
    key, dot, mac = token.partition(".")
    if not dot or not key or not constant_time_compare(mac, _mac(salt, key)):
        return None
    return key
