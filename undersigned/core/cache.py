"""The cache behind REDIS_URL: Redis, and this process's local memory while Redis is down.

Signing must not stop because Redis did (docs/abuse.md, "When Redis is unreachable"): every
cache operation that cannot reach Redis is done on a per-process local-memory cache instead,
and for RETRY_AFTER seconds this process does not try Redis again (so an outage costs one
failed connection per process every few seconds, not one per request). Rate limits then
count per process — each app process applies the limits on its own, so the site-wide limit
is at most the number of processes times looser — and cached pages and counts are
per-process too; nothing is lost and nothing is refused because of the outage.

Logged once when Redis stops answering and once when it answers again: the exception's type
only, never a key (keys may hold an address's hash) or a value.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

RETRY_AFTER = 5.0  # seconds without trying Redis after it failed
LOCAL_ENTRIES = 200_000
# What a dead or hung Redis raises; OSError for a socket that breaks below redis-py.
UNREACHABLE: tuple[type[BaseException], ...] = (RedisConnectionError, RedisTimeoutError, OSError)


class _Outage:
    """Whether this process is treating Redis as down, shared by every thread's backend."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.down_until = 0.0
        self.down = False

    def skipping(self) -> bool:
        return time.monotonic() < self.down_until

    def failed(self, error: BaseException) -> None:
        with self.lock:
            self.down_until = time.monotonic() + RETRY_AFTER
            if not self.down:
                self.down = True
                logger.warning(
                    "Redis is unreachable (%s); this process uses its local memory for the "
                    "cache and rate limits until it answers",
                    type(error).__name__,
                )

    def answered(self) -> None:
        if self.down:
            with self.lock:
                if self.down:
                    self.down = False
                    logger.warning("Redis answers again; the cache and rate limits use it")


OUTAGE = _Outage()
_local = LocMemCache("undersigned-redis-fallback", {"OPTIONS": {"MAX_ENTRIES": LOCAL_ENTRIES}})


def redis_is_skipped() -> bool:
    """True while this process is using local memory instead of Redis."""
    return OUTAGE.skipping()


def redis_failed(error: BaseException) -> None:
    """Report a Redis failure seen outside this backend (core/ratelimit.py's script)."""
    OUTAGE.failed(error)


class FallbackRedisCache(RedisCache):
    """Django's Redis cache; each operation falls back to local memory while Redis is down."""

    def _either(self, operation: str, *args: Any, **kwargs: Any) -> Any:
        if not OUTAGE.skipping():
            try:
                result = getattr(super(), operation)(*args, **kwargs)
            except UNREACHABLE as error:
                OUTAGE.failed(error)
            else:
                OUTAGE.answered()
                return result
        return getattr(_local, operation)(*args, **kwargs)

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> Any:
        return self._either("add", key, value, timeout, version)

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        return self._either("get", key, default, version)

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> Any:
        return self._either("set", key, value, timeout, version)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> Any:
        return self._either("touch", key, timeout, version)

    def delete(self, key: Any, version: Any = None) -> Any:
        return self._either("delete", key, version)

    def get_many(self, keys: Any, version: Any = None) -> Any:
        return self._either("get_many", keys, version)

    def has_key(self, key: Any, version: Any = None) -> Any:
        return self._either("has_key", key, version)

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> Any:
        return self._either("incr", key, delta, version)

    def set_many(self, data: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> Any:
        return self._either("set_many", data, timeout, version)

    def delete_many(self, keys: Any, version: Any = None) -> Any:
        return self._either("delete_many", keys, version)

    def clear(self) -> Any:
        return self._either("clear")


class InProcess:
    """Values kept in this process's own memory for `seconds`, as Python objects: reading one
    costs a dict lookup, where the Django cache (local memory or Redis) unpickles a copy on
    every read. For what every request of a surge reads and rarely changes — the petition
    being signed, its rendered page — with the caller checking, on each read, the version the
    value was built from against the shared cache's (a change made in another process is
    then seen as soon as the version is). Values are shared by the process's threads: treat
    them as read-only. Emptied whole when full (it holds one entry per petition and page).
    """

    def __init__(self, seconds: float, max_entries: int = 10_000) -> None:
        self.seconds = seconds
        self.max_entries = max_entries
        self._entries: dict[Any, tuple[float, Any]] = {}
        _IN_PROCESS.append(self)

    def get(self, key: Any) -> Any:
        """The value, or None if there is none or it is older than `seconds`."""
        entry = self._entries.get(key)
        if entry is None or entry[0] < time.monotonic():
            return None
        return entry[1]

    def set(self, key: Any, value: Any) -> None:
        if len(self._entries) >= self.max_entries:
            self._entries.clear()
        self._entries[key] = (time.monotonic() + self.seconds, value)

    def clear(self) -> None:
        self._entries.clear()


_IN_PROCESS: list[Any] = []  # whatever has a clear(): InProcess, ratelimit's counters


def on_clear_in_process(memory: Any) -> None:
    """`memory.clear()` will be called by clear_in_process, with every InProcess's."""
    _IN_PROCESS.append(memory)


def clear_in_process() -> None:
    """Forget every InProcess value (and the rate-limit counters kept in this process's
    memory): tests start each from nothing."""
    for memory in _IN_PROCESS:
        memory.clear()
