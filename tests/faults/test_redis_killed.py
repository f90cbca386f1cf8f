"""Fault 5: the Redis behind the cache and the rate limits is killed, then comes back.

Signing keeps working: each app process counts its limits and caches in its own memory
until Redis answers again (core/cache.py; the choice is explained in docs/abuse.md).
"""

import time

import pytest

from tests.faults.parts import wait_until

pytestmark = pytest.mark.fault

DOWN_FOR = 12.0


def test_signing_keeps_working_while_redis_is_down(stack):
    time.sleep(4)
    killed_at = time.monotonic()
    stack.redis.kill()
    acknowledged_before = len(stack.load.acknowledged)
    time.sleep(DOWN_FOR)
    signed_while_down = len(stack.load.acknowledged) - acknowledged_before
    failed_while_down = stack.load.failures_between(killed_at, time.monotonic())
    stack.redis.start()  # the same port: the app finds it again by itself
    back_at = time.monotonic()
    used_again = wait_until(
        lambda: any(key.startswith(b"undersigned") for key in redis_keys(stack)),
        20,
        "the app writing to Redis again",
    )
    time.sleep(3)
    result = stack.settle_and_check(
        "redis_killed",
        redis_down_s=round(back_at - killed_at, 2),
        signed_while_down=signed_while_down,
        failed_while_down=len(failed_while_down),
        redis_used_again_after_s=round(used_again, 2),
    )
    assert signed_while_down >= DOWN_FOR * 5  # about 12 a second kept being taken
    assert result["failed_while_down"] == 0


def redis_keys(stack) -> list[bytes]:
    import redis

    try:
        keys = redis.Redis.from_url(stack.redis.url, socket_timeout=1).keys("*")
    except redis.exceptions.RedisError:
        return []
    return [key if isinstance(key, bytes) else key.encode() for key in keys]
