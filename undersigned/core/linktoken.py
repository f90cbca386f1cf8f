"""Links that prove they came from us: a random key, a dot, and an HMAC of the key.

The key is random (nothing in a link is derived from a database id) and the database stores
it, or only its hash; the HMAC is keyed by SECRET_KEY under a salt per kind of link, so a
copy of the database alone forges nothing, and one kind of link never passes for another (an
unsubscribe link cannot confirm a signature). Every link the site emails is made here.

Never change a kind's salt, `MAC_LENGTH` or the encoding: links already sitting in people's
mailboxes carry MACs made with them (tests/core/test_linktoken.py checks the old formula).

`keyed_digest` is the same keyed hash for secrets the site stores but never emails (staff
recovery codes): one module holds every HMAC keyed by SECRET_KEY.
"""

from __future__ import annotations

import base64
import enum
import secrets

from django.utils.crypto import constant_time_compare, salted_hmac

MAC_LENGTH = 22  # characters of URL-safe base64: 132 bits of the SHA-256 HMAC
MAX_TOKEN_LENGTH = 80


@enum.unique
class Kind(enum.StrEnum):
    """Each kind of link, as the salt of its HMAC (unique: no two kinds may share one)."""

    SIGNATURE_CONFIRMATION = "undersigned.signatures.confirmation"
    UNSUBSCRIBE = "undersigned.signatures.unsubscribe"  # does not expire (List-Unsubscribe)
    PROPOSAL_CREATOR = "undersigned.proposals.creator"
    PROPOSAL_SPONSOR = "undersigned.proposals.sponsor"
    MY_DATA = "undersigned.privacy.my_data_link"
    DEBATE_CONTRIBUTION = "undersigned.debates.contribution"


def new_key() -> str:
    """192 random bits, 32 URL-safe characters."""
    return secrets.token_urlsafe(24)


def _mac(kind: Kind, key: str) -> str:
    digest = salted_hmac(kind.value, key, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).decode("ascii")[:MAC_LENGTH]


def token_for(kind: Kind, key: str) -> str:
    return f"{key}.{_mac(kind, key)}"


def key_from(kind: Kind, token: str) -> str | None:
    """The key a genuine token of this kind carries, or None for anything forged, malformed
    or of another kind."""
    if len(token) > MAX_TOKEN_LENGTH:
        return None
    key, dot, mac = token.partition(".")
    if not dot or not key or not constant_time_compare(mac, _mac(kind, key)):
        return None
    return key


def keyed_digest(salt: str, value: str) -> str:
    """Hex SHA-256 HMAC of `value` keyed by SECRET_KEY under `salt`: what to store of a
    secret a person types back later (a recovery code), so a database copy reveals none."""
    return salted_hmac(salt, value, algorithm="sha256").hexdigest()
