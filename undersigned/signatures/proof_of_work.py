"""A self-hosted proof-of-work challenge, ALTCHA-compatible (the classic v1 protocol).

The browser fetches a challenge (a salt and the SHA-256 of salt + a secret number below
PROOF_OF_WORK_COST), finds the number by trying them all (proof-of-work.js), and sends the
solution with the form. The server checks it with one hash and one HMAC — no state until a
solution is used, then the challenge is remembered until it expires, so it cannot be used
twice. No third party is involved; nothing identifies the visitor.
"""

from __future__ import annotations

import functools
import hashlib
from datetime import timedelta

import altcha
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

FIELD_NAME = "altcha"
MAX_PAYLOAD_LENGTH = 2000


@functools.cache
def _key(secret_key: str) -> str:
    return hashlib.sha256(
        b"undersigned.signatures.proof_of_work\0" + secret_key.encode()
    ).hexdigest()


def new_challenge() -> dict:
    """A fresh challenge for the browser, valid for PROOF_OF_WORK_SECONDS."""
    expires = timezone.now() + timedelta(seconds=settings.PROOF_OF_WORK_SECONDS)
    options = altcha.ChallengeOptionsV1(
        algorithm="SHA-256",
        max_number=settings.PROOF_OF_WORK_COST,
        hmac_key=_key(settings.SECRET_KEY),
        expires=expires,
    )
    challenge = altcha.create_challenge_v1(options)
    return challenge.to_dict()


def solution_is_valid(payload: str | None) -> bool:
    """True for a correct, unexpired solution of one of our challenges, used for the first
    time. Anything else — missing, malformed, forged, expired, replayed — is False."""
    if not payload or len(payload) > MAX_PAYLOAD_LENGTH:
        return False
    try:
        ok, _error = altcha.verify_solution_v1(payload, _key(settings.SECRET_KEY))
        challenge = str(altcha.PayloadV1.from_base64(payload).challenge) if ok else ""
    except Exception:  # hostile input must never become a 500
        return False
    if not ok:
        return False
    # The first use wins; a replayed solution finds its challenge already taken.
    return cache.add(f"pow-used:{challenge}", 1, timeout=settings.PROOF_OF_WORK_SECONDS + 60)
