"""Stable, opaque identifiers for rows that leave the site (the partner API, webhooks).

A partner's CRM keeps our identifier for each signature to sync, deduplicate and honour
erasure, so it must be stable and must not reveal our database ids (which would tell how
many people signed, and in what order). Instead of a new column on the largest table, the
identifier is the row's primary key encrypted as one AES block under a key of its own kind:
a permutation, so two rows never share an identifier, and reversible, so an identifier
finds its row by primary key.

The key is derived from OPAQUE_ID_KEY, or from SECRET_KEY when that is unset; rotating
SECRET_KEY therefore changes every identifier unless OPAQUE_ID_KEY keeps them
(docs/integrations.md). The text form is ``<kind>_<26 base32 letters>``, lower case, e.g.
``sig_…``: OSDI's identifiers are ``<system>:<id>`` and the API adds ``undersigned:``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from functools import cache

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings

KINDS = {"signature": "sig", "petition": "pet", "paper_batch": "pap", "webhook_event": "evt",
         "webhook_message": "msg"}  # fmt: skip
_TEXT = re.compile(r"^(?P<prefix>[a-z]{3})_(?P<body>[a-z2-7]{26})$")


@cache
def _cipher_key(kind: str) -> bytes:
    secret = (settings.OPAQUE_ID_KEY or settings.SECRET_KEY).encode()
    return hmac.new(secret, b"undersigned opaque id " + kind.encode(), hashlib.sha256).digest()


def _block_cipher(kind: str) -> Cipher:
    # ECB on exactly one block is the raw permutation: a unique input gives a unique output.
    return Cipher(algorithms.AES(_cipher_key(kind)), modes.ECB())  # noqa: S305


def opaque_id(kind: str, pk: int) -> str:
    """The opaque identifier of row `pk` of `kind` (a key of KINDS)."""
    if pk < 0:
        raise ValueError("a primary key is not negative")
    encryptor = _block_cipher(kind).encryptor()
    block = encryptor.update(pk.to_bytes(16, "big")) + encryptor.finalize()
    return f"{KINDS[kind]}_{base64.b32encode(block).decode().rstrip('=').lower()}"


def pk_of(kind: str, identifier: str) -> int | None:
    """The primary key behind `identifier`, or None when it is not one of ours of `kind`."""
    match = _TEXT.match(identifier.removeprefix("undersigned:"))
    if match is None or match["prefix"] != KINDS[kind]:
        return None
    block = base64.b32decode(match["body"].upper() + "======")
    decryptor = _block_cipher(kind).decryptor()
    plain = decryptor.update(block) + decryptor.finalize()
    # A forged identifier decrypts to noise: real keys are far below 2**63.
    value = int.from_bytes(plain, "big")
    return value if value < 2**63 else None
