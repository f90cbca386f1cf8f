"""One place decides whether a client drafts or sponsors too fast (counted in the cache)."""

from __future__ import annotations

from django.conf import settings

from undersigned.core.ratelimit import count_hit

WINDOW_SECONDS = 3600


def too_many(kind: str, client_ip: str) -> bool:
    """True once this address has sent more than the hourly limit for `kind` ("draft" or
    "sponsor"). The address lives only in the cache key, for the hour it counts."""
    limit = {
        "draft": settings.PUBLIC_PETITION_DRAFTS_PER_IP_PER_HOUR,
        "sponsor": settings.PUBLIC_PETITION_SPONSORINGS_PER_IP_PER_HOUR,
    }[kind]
    return count_hit(f"proposal-rate:{kind}:{client_ip}", WINDOW_SECONDS) > limit
