"""The one table of limits and the one way they are counted.

Every rate limit of the site — the sign flood ceiling, the holds, confirmation re-sends,
"manage my data" requests and emails, public-petition drafts and sponsorings, moderation
previews — is a row of `settings.RATE_LIMITS` (name -> at most N per window of S seconds),
and this module is the only reader of that table: `limit(name)`.

Most are counted here, in fixed-window counters in the Django cache (Redis in production):
`over(name, who)` for one, `first_over([...])` for several at once. A counter is a key per
(limit, who, window number) that expires with its window. On Redis all the counters of one
request are added to in a single round trip (a small Lua script); on the local-memory cache
(and while Redis is down) they are plain integers in this process's memory (`_Counters`,
what that cache would hold, without pickling); on any other cache, one add-or-increment
each; these counters store nothing in the database. Two limits are counted
where their rows are, in the database, and read only their numbers here: confirmation re-sends
(signatures/reminders.py, one UPDATE) and "manage my data" emails to one address
(privacy/my_data/emails.py). While Redis is unreachable, the counters are this process's own
(core/cache.py; docs/abuse.md).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache

from undersigned.core.cache import UNREACHABLE, on_clear_in_process, redis_failed, redis_is_skipped


class Limit(NamedTuple):
    """At most `at_most` per `seconds`; 0 switches a hold limit off."""

    at_most: int
    seconds: int


def limit(name: str) -> Limit:
    """The row `name` of settings.RATE_LIMITS."""
    return Limit(*settings.RATE_LIMITS[name])


def over(name: str, who: str) -> bool:
    """Count one hit of `who` against the limit `name`; True when that is one too many."""
    at_most, seconds = limit(name)
    return _count_hits([(f"{name}:{who}", seconds)])[0] > at_most


def first_over(checks: Sequence[tuple[str, str]]) -> str | None:
    """Count one hit of each (limit name, who) — all in one round trip — and name the first
    limit this went over, in the order given; None if none. Limits set to 0 are skipped
    (neither counted nor checked)."""
    rows = [(name, who, limit(name)) for name, who in checks]
    rows = [(name, who, row) for name, who, row in rows if row.at_most > 0]
    if not rows:
        return None
    counts = _count_hits([(f"{name}:{who}", row.seconds) for name, who, row in rows])
    for (name, _who, row), count in zip(rows, counts, strict=True):
        if count > row.at_most:
            return name
    return None


def _count_hits(keys: Sequence[tuple[str, int]]) -> list[int]:
    """Add one to each (key, window seconds) counter of the current window; the new counts."""
    now = int(time.time())
    windowed = [(f"rate:{key}:{now // seconds}", seconds) for key, seconds in keys]
    script = None if redis_is_skipped() else _redis_script()
    if script is not None:
        full_keys = [cache.make_key(key) for key, _ in windowed]
        try:
            return [int(n) for n in script(keys=full_keys, args=[s for _, s in windowed])]
        except UNREACHABLE as error:
            redis_failed(error)  # counted in this process's memory until Redis answers
    if redis_is_skipped() or isinstance(caches["default"], LocMemCache):
        return _IN_PROCESS.hit(windowed)
    return [_hit_one(key, seconds) for key, seconds in windowed]


class _Counters:
    """The counters of a cache that is this process's memory anyway (local memory, or Redis
    while it is down), kept as plain integers: what LocMemCache would do, without pickling
    and key checks on every hit. Each counter lives `seconds` from its first hit, as a cache
    entry's timeout would; the expired are swept when there are many."""

    SWEEP_ABOVE = 200_000

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.counts: dict[str, tuple[int, float]] = {}  # key -> (hits, expires at)

    def hit(self, keys: Sequence[tuple[str, int]]) -> list[int]:
        now = time.monotonic()
        counts = []
        with self.lock:
            for key, seconds in keys:
                found = self.counts.get(key)
                if found is not None and found[1] > now:
                    hits, expires = found[0] + 1, found[1]
                else:
                    hits, expires = 1, now + seconds
                self.counts[key] = (hits, expires)
                counts.append(hits)
            if len(self.counts) > self.SWEEP_ABOVE:
                self._sweep(now)
        return counts

    def _sweep(self, now: float) -> None:
        self.counts = {key: entry for key, entry in self.counts.items() if entry[1] > now}
        if len(self.counts) > self.SWEEP_ABOVE:  # a flood of live keys: forget the oldest half
            keep = list(self.counts.items())[len(self.counts) // 2 :]
            self.counts = dict(keep)

    def clear(self) -> None:
        with self.lock:
            self.counts.clear()


_IN_PROCESS = _Counters()
on_clear_in_process(_IN_PROCESS)


def _hit_one(key: str, seconds: int) -> int:
    """The portable way (local memory or database cache): add, else increment."""
    if cache.add(key, 1, timeout=seconds):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=seconds)
        return 1


# Every counter in one round trip; a new key gets its window's lifetime.
_COUNT_SCRIPT = """
local counts = {}
for i, key in ipairs(KEYS) do
  local n = redis.call('INCR', key)
  if n == 1 then redis.call('EXPIRE', key, ARGV[i]) end
  counts[i] = n
end
return counts
"""


def _redis_script():  # type: ignore[no-untyped-def]
    """The counting script on the Redis behind Django's cache, or None for any other cache.

    Kept on the (per-thread) cache backend: building a Redis client per call would cost
    more CPU than the whole check.
    """
    backend = cache._cache if hasattr(cache, "_cache") else None
    if backend is None or not hasattr(backend, "get_client"):
        return None
    script = getattr(backend, "_undersigned_count_script", None)
    if script is None:
        script = backend.get_client(write=True).register_script(_COUNT_SCRIPT)
        backend._undersigned_count_script = script
    return script
