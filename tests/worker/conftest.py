"""Every worker test runs on both task queues: the database (django-tasks-db, the default)
and Redis (TASKS_URL; django-tasks-rq), on a real redis-server (index 7 unless
TEST_TASKS_REDIS_URL says otherwise; CI runs one on 127.0.0.1:6379)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import redis

from undersigned.config import tasks as tasks_config
from undersigned.worker.database_worker import DatabaseWorker, LocalRuns
from undersigned.worker.redis_worker import RedisRuns, RedisWorker

REDIS_URL = os.environ.get("TEST_TASKS_REDIS_URL", "redis://127.0.0.1:6379/7")


@dataclass
class Queue:
    """One task queue as `undersigned worker` would run it, in this process."""

    name: str
    connection: Any = None

    def worker(self, scheduler: Any, name: str = "worker-a") -> DatabaseWorker | RedisWorker:
        if self.name == "redis":
            return RedisWorker(scheduler=scheduler, connection=self.connection, name=name)
        return DatabaseWorker(scheduler=scheduler, interval=0)

    def runs(self, name: str = "worker-a", stale_after: float = 300.0) -> LocalRuns | RedisRuns:
        if self.name == "redis":
            return RedisRuns(self.connection, worker_name=name, stale_after=stale_after, tick=1)
        return LocalRuns(stale_after=stale_after)


def redis_or_skip() -> redis.Redis:
    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis.ConnectionError:
        if os.environ.get("CI"):
            pytest.fail(f"no Redis at {REDIS_URL} for the Redis task queue's tests")
        pytest.skip(f"no Redis at {REDIS_URL} (redis-server); CI fails here instead")
    return connection


def use_redis_queue(settings: Any) -> Iterator[Queue]:
    connection = redis_or_skip()
    connection.flushdb()  # our own index only
    settings.TASKS = tasks_config.redis_tasks()
    settings.RQ_QUEUES = tasks_config.rq_queues(REDIS_URL)
    try:
        yield Queue("redis", connection)
    finally:
        connection.flushdb()


@pytest.fixture(params=["database", "redis"])
def queue(request: pytest.FixtureRequest, settings: Any) -> Iterator[Queue]:
    if request.param == "database":
        yield Queue("database")
    else:
        yield from use_redis_queue(settings)


@pytest.fixture
def redis_queue(settings: Any) -> Iterator[Queue]:
    """For what only the Redis queue has: runs shared by workers, RQ's deferred jobs."""
    yield from use_redis_queue(settings)
