"""One place decides whether a client is signing too fast."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache


def sign_rate_exceeded(client_ip: str) -> bool:
    """True when this client address has sent more sign requests this minute than allowed.

    Counted in the cache (Redis in production), never in the database, and keyed by address
    only for the minute it takes; no address is stored with a signature.
    """
    key = f"sign-rate:{client_ip}"
    if cache.add(key, 1, timeout=60):
        return False
    try:
        attempts = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=60)
        return False
    return attempts > settings.SIGNS_PER_IP_PER_MINUTE
