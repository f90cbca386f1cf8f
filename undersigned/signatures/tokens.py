"""Confirmation links: a random key plus an HMAC of it, so a copy of the database alone
cannot confirm anything, and nothing in the link is derived from a database id."""

from __future__ import annotations

import base64
import secrets

from django.utils.crypto import constant_time_compare, salted_hmac

_SALT = "undersigned.signatures.confirmation"
_MAC_LENGTH = 22


def new_confirmation_key() -> str:
    return secrets.token_urlsafe(24)  # 192 random bits, 32 characters


def _mac(key: str) -> str:
    digest = salted_hmac(_SALT, key, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).decode("ascii")[:_MAC_LENGTH]


def token_for_key(key: str) -> str:
    return f"{key}.{_mac(key)}"


def key_from_token(token: str) -> str | None:
    """The key a genuine token carries, or None for anything forged or malformed."""
    if len(token) > 80:
        return None
    key, dot, mac = token.partition(".")
    if not dot or not key or not constant_time_compare(mac, _mac(key)):
        return None
    return key


# Unsubscribe links carry the same random key under a MAC with another salt: the link proves
# it came from us and names no person, and it can never pass for a confirmation link (nor a
# confirmation link for it). It does not expire: List-Unsubscribe links must keep working.
_UNSUBSCRIBE_SALT = "undersigned.signatures.unsubscribe"


def _unsubscribe_mac(key: str) -> str:
    digest = salted_hmac(_UNSUBSCRIBE_SALT, key, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).decode("ascii")[:_MAC_LENGTH]


def unsubscribe_token_for_key(key: str) -> str:
    return f"{key}.{_unsubscribe_mac(key)}"


def key_from_unsubscribe_token(token: str) -> str | None:
    """The key a genuine unsubscribe token carries, or None for anything else."""
    if len(token) > 80:
        return None
    key, dot, mac = token.partition(".")
    if not dot or not key or not constant_time_compare(mac, _unsubscribe_mac(key)):
        return None
    return key
