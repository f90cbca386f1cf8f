"""One place decides whether a signature comes too fast: `exceeded(...)`.

Counters live in the cache (Redis in production), never in the database, in fixed windows:
a key per (what, window number) that expires with its window. Each request adds one to all
its counters in a single Redis round trip (a pipeline of INCR + EXPIRE NX), so the check
costs the same whatever it finds. See docs/abuse.md for the defaults and why a signature
over a limit is held rather than refused.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence

from django.conf import settings
from django.core.cache import cache

from undersigned.signatures.email_checks import is_big_free_mail_provider
from undersigned.signatures.models import HeldReason

MINUTE = 60
FIVE_MINUTES = 5 * 60
TEN_MINUTES = 10 * 60
HOUR = 60 * 60


def sign_rate_exceeded(client_ip: str) -> bool:
    """The flood ceiling: True when this address sent more sign requests this minute than
    SIGNS_PER_IP_PER_MINUTE, on any petition. The request is then refused (429), the last
    resort against a flood that holding alone would let fill the database."""
    (attempts,) = _hit([(f"sign-rate:{client_ip}", MINUTE)])
    return attempts > settings.SIGNS_PER_IP_PER_MINUTE


def exceeded(
    petition_id: int,
    *,
    client_hash: str,
    client_subnet: str,
    email_domain: str,
    proved_work: bool = True,
) -> HeldReason:
    """Why this signature must be held back from the count, or HeldReason.NONE ("").

    Counts this attempt against every limit that applies, then checks in a fixed order —
    the address (burst, then sustained), its network, the email domain, and last whether
    the browser solved the proof of work — and names the first that fails. A limit set to
    0 is off.
    """
    checks: list[tuple[HeldReason, int, str, int]] = []
    if client_hash:
        address = f"{petition_id}:{client_hash}"
        checks.append((HeldReason.ADDRESS_RATE, settings.SIGN_LIMIT_PER_ADDRESS_PER_MINUTE,
                       f"a1:{address}", MINUTE))  # fmt: skip
        checks.append((HeldReason.ADDRESS_RATE, settings.SIGN_LIMIT_PER_ADDRESS_PER_5_MINUTES,
                       f"a5:{address}", FIVE_MINUTES))  # fmt: skip
    if client_subnet:
        checks.append((HeldReason.SUBNET_RATE, settings.SIGN_LIMIT_PER_SUBNET_PER_10_MINUTES,
                       f"s:{petition_id}:{client_subnet}", TEN_MINUTES))  # fmt: skip
    if email_domain and not _exempt_domain(email_domain):
        checks.append((HeldReason.DOMAIN_RATE, settings.SIGN_LIMIT_PER_DOMAIN_PER_HOUR,
                       f"d:{petition_id}:{_short(email_domain)}", HOUR))  # fmt: skip
    checks = [check for check in checks if check[1] > 0]
    if checks:
        counts = _hit([(f"sign-limit:{key}", seconds) for _, _, key, seconds in checks])
        for (reason, limit, _key, _seconds), count in zip(checks, counts, strict=True):
            if count > limit:
                return reason
    return HeldReason.NONE if proved_work else HeldReason.NO_PROOF_OF_WORK


def _exempt_domain(domain: str) -> bool:
    """The big free-mail providers are shared by millions of unrelated people: a per-domain
    limit on gmail.com would hold a real surge. Operators can add their own domains."""
    return is_big_free_mail_provider(domain) or domain in settings.SIGN_LIMIT_EXEMPT_DOMAINS


def _short(text: str) -> str:
    # Cache keys stay short whatever a domain's length (some caches refuse keys over 250).
    return text if len(text) <= 64 else hashlib.sha256(text.encode()).hexdigest()


def _hit(keys: Sequence[tuple[str, int]]) -> list[int]:
    """Add one to each (key, window seconds) counter of the current window; the new counts."""
    now = int(time.time())
    windowed = [(f"{key}:{now // seconds}", seconds) for key, seconds in keys]
    script = _redis_script()
    if script is not None:
        full_keys = [cache.make_key(key) for key, _ in windowed]
        return [int(n) for n in script(keys=full_keys, args=[s for _, s in windowed])]
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
