"""What an API key looks like, how it is made, and the one way it is checked.

A key is ``usk_<prefix>_<secret>``: `prefix` is 8 random base32 letters, stored in clear to
find the key's row (and shown to staff, so they can tell keys apart); `secret` is 256 random
bits (52 base32 letters). The database keeps only a keyed hash of the whole key
(core/linktoken.py: keyed_digest, HMAC-SHA256 under SECRET_KEY), compared in constant time.
Rotating SECRET_KEY therefore invalidates every key (docs/integrations.md).
"""

from __future__ import annotations

import base64
import re
import secrets
from typing import NamedTuple

from django.utils.crypto import constant_time_compare

from undersigned.core.linktoken import keyed_digest

KEY_PREFIX = "usk_"
_SALT = "undersigned.partners.api-key"
KEY_PATTERN = re.compile(r"^usk_(?P<prefix>[a-z2-7]{8})_(?P<secret>[a-z2-7]{52})$")
# Anything in a query string that looks like one of our keys (to refuse it, and say why).
LOOKS_LIKE_A_KEY = re.compile(r"usk_[a-z2-7]{8}")
MAX_KEY_LENGTH = 80


class NewKey(NamedTuple):
    key: str  # shown once, never stored
    prefix: str
    digest: str


def _letters(n_bytes: int) -> str:
    return base64.b32encode(secrets.token_bytes(n_bytes)).decode().rstrip("=").lower()


def new_key() -> NewKey:
    prefix = _letters(5)  # 40 bits: 8 letters
    key = f"{KEY_PREFIX}{prefix}_{_letters(32)}"
    return NewKey(key, prefix, key_digest(key))


def key_digest(key: str) -> str:
    return keyed_digest(_SALT, key)


def prefix_of(presented: str) -> str | None:
    """The prefix of a well-formed key, or None for anything that cannot be one of ours."""
    if len(presented) > MAX_KEY_LENGTH:
        return None
    match = KEY_PATTERN.match(presented)
    return match["prefix"] if match else None


def matches(presented: str, digest: str) -> bool:
    return constant_time_compare(key_digest(presented), digest)
