"""One place decides whether a reader's votes come too fast (counted in the cache, like every
limit of the site: core/ratelimit.py). Contributions are limited like signatures, by
signatures.limits.exceeded under a debate's own scope."""

from __future__ import annotations

from django.conf import settings

from undersigned.core.ratelimit import count_hit

HOUR = 3600


def votes_exceeded(voter: str) -> bool:
    """True once this voter (the keyed hash of address and day) has sent more votes and stance
    answers this hour than DEBATE_VOTES_PER_ADDRESS_PER_HOUR. Such votes are stored held, never
    counted, and the reader is answered as usual (no oracle for scripts)."""
    return (
        count_hit(f"debate-votes:{voter[:32]}", HOUR) > settings.DEBATE_VOTES_PER_ADDRESS_PER_HOUR
    )
