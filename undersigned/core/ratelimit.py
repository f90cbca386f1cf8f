"""Fixed-window counters in the Django cache (Redis in production): the one way every rate
limit of the site counts (signing, "manage my data" links, public petitions).

A counter is a key per (what, window number) that expires with its window. On Redis all the
counters of one request are added to in a single round trip (a small Lua script); on any
other cache, one add-or-increment each. Nothing is stored in the database. While Redis is
unreachable, the counters are this process's own (core/cache.py; docs/abuse.md).
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from django.core.cache import cache

from undersigned.core.cache import UNREACHABLE, redis_failed, redis_is_skipped


def count_hit(key: str, seconds: int) -> int:
    """Add one to `key`'s counter for the current `seconds`-long window; the new count."""
    return count_hits([(key, seconds)])[0]


def count_hits(keys: Sequence[tuple[str, int]]) -> list[int]:
    """Add one to each (key, window seconds) counter of the current window; the new counts."""
    now = int(time.time())
    windowed = [(f"{key}:{now // seconds}", seconds) for key, seconds in keys]
    script = None if redis_is_skipped() else _redis_script()
    if script is not None:
        full_keys = [cache.make_key(key) for key, _ in windowed]
        try:
            return [int(n) for n in script(keys=full_keys, args=[s for _, s in windowed])]
        except UNREACHABLE as error:
            redis_failed(error)  # counted in this process's memory until Redis answers
    return [_hit_one(key, seconds) for key, seconds in windowed]


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
