"""Standard Webhooks signatures (https://www.standardwebhooks.com/, spec 1.0.0, "Signature
scheme" and "Webhook headers").

- The secret is shown as `whsec_` + base64 of its bytes; the HMAC key is those bytes (the
  base64 after the prefix, decoded). Ours are 32 random bytes (the spec asks 24 to 64).
- The signed content is `{webhook-id}.{webhook-timestamp}.{body}`, the body byte for byte as
  sent; the signature is `v1,` + base64 of HMAC-SHA256 of it.
- `webhook-signature` is a space-separated list: during a day after a rotation we sign with
  the new and the previous secret, so a receiver can switch over without losing a message
  ("zero downtime secret rotation").
- `webhook-id` stays the same across retries and redeliveries (the receiver's idempotency
  key); `webhook-timestamp` is the attempt's (integer seconds), so each attempt is signed
  anew and a receiver can refuse replays older than a few minutes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Iterable, Mapping

PREFIX = "whsec_"
SECRET_BYTES = 32
TOLERANCE_SECONDS = 5 * 60  # what `verify` accepts either side of now, as the libraries do


def new_secret() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def _key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(PREFIX))


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """One signature, `v1,<base64>`."""
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signature_header(secrets_: Iterable[str], message_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` value: one signature per secret, space-separated."""
    return " ".join(sign(secret, message_id, timestamp, body) for secret in secrets_)


def headers(
    secrets_: Iterable[str], message_id: str, timestamp: int, body: bytes
) -> dict[str, str]:
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature_header(secrets_, message_id, timestamp, body),
    }


def verify(secret: str, received: Mapping[str, str], body: bytes, *, now: int) -> bool:
    """What a receiver does: the timestamp within tolerance, and one of the `v1` signatures
    equal (in constant time) to ours. `received` maps lower-case header names to values."""
    try:
        message_id = received["webhook-id"]
        timestamp = int(received["webhook-timestamp"])
        offered = received["webhook-signature"].split(" ")
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > TOLERANCE_SECONDS:
        return False
    expected = sign(secret, message_id, timestamp, body)
    return any(hmac.compare_digest(expected, one) for one in offered if one.startswith("v1,"))
