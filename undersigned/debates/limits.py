"""One place decides whether a reader's votes come too fast: the "debate_votes" row of the
one table of limits (core/ratelimit.py), counted in the cache. Contributions are limited like
signatures, by signatures.limits.exceeded under a debate's own scope."""

from __future__ import annotations

from undersigned.core import ratelimit


def votes_exceeded(voter: str) -> bool:
    """True once this voter (the keyed hash of address and day) has sent more votes and stance
    answers this hour than the limit. Such votes are stored held, never counted, and the
    reader is answered as usual (no oracle for scripts)."""
    return ratelimit.over("debate_votes", voter[:32])
