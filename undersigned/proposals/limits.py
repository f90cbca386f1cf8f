"""One place decides whether a client drafts or sponsors too fast (counted in the cache)."""

from __future__ import annotations

from undersigned.core import ratelimit

LIMITS = {"draft": "proposal_drafts", "sponsor": "proposal_sponsorings"}


def too_many(kind: str, client_ip: str) -> bool:
    """True once this address has sent more than the hourly limit for `kind` ("draft" or
    "sponsor"). The address lives only in the cache key, for the hour it counts."""
    return ratelimit.over(LIMITS[kind], client_ip)
