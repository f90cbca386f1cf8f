"""While Redis is unreachable, the cache and the rate limits use this process's memory."""

from __future__ import annotations

import logging
import os
import time
import uuid

import pytest
import redis
from django.core.cache import caches

from tests.fixtures.smtp import free_port
from undersigned.core import cache as fallback
from undersigned.signatures.limits import exceeded
from undersigned.signatures.models import HeldReason

LIVE_REDIS = "redis://127.0.0.1:6379/3"


@pytest.fixture
def fresh_outage(monkeypatch):
    monkeypatch.setattr(fallback, "OUTAGE", fallback._Outage())
    fallback._local.clear()


def use_redis(settings, location: str) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "undersigned.core.cache.FallbackRedisCache",
            "LOCATION": location,
            "KEY_PREFIX": f"test-fallback-{uuid.uuid4().hex}",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


def limits_of_one_address() -> list[HeldReason]:
    return [
        exceeded(1, client_hash="h", client_subnet="4:c0000200", email_domain="gmail.com")
        for _ in range(2)
    ]


def test_with_redis_down_the_limits_still_apply_locally_and_it_is_logged_once(
    settings, fresh_outage, caplog
):
    use_redis(settings, f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    caplog.set_level(logging.WARNING, logger="undersigned.core.cache")
    started = time.monotonic()
    assert limits_of_one_address() == [HeldReason.NONE, HeldReason.ADDRESS_RATE]
    cache = caches["default"]
    cache.set("page", "cached", 30)
    assert cache.get("page") == "cached"  # kept in this process meanwhile
    assert time.monotonic() - started < 3  # one refused connection, then no more tries
    warnings = [r for r in caplog.records if r.name == "undersigned.core.cache"]
    assert len(warnings) == 1
    assert "ConnectionError" in warnings[0].getMessage()


def test_once_redis_answers_again_it_is_used_again(settings, fresh_outage, monkeypatch, caplog):
    try:
        redis.Redis.from_url(LIVE_REDIS).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip("no Redis on 127.0.0.1:6379 (redis-server); CI fails here instead")
    use_redis(settings, LIVE_REDIS)
    caplog.set_level(logging.WARNING, logger="undersigned.core.cache")
    fallback.redis_failed(redis.exceptions.ConnectionError())  # as after an outage
    caches["default"].set("during", 1, 30)  # skipped Redis: local memory
    monkeypatch.setattr(fallback.OUTAGE, "down_until", 0.0)  # RETRY_AFTER has passed
    caches["default"].set("after", 2, 30)
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    stored: list[bytes] = redis.Redis.from_url(LIVE_REDIS).keys(f"{prefix}*")  # type: ignore[assignment]
    assert [str(key, "ascii").rsplit(":", 1)[1] for key in stored] == ["after"]
    assert caches["default"].get("during") is None  # not in Redis
    assert "Redis answers again" in caplog.text
    redis.Redis.from_url(LIVE_REDIS).delete(*stored)
