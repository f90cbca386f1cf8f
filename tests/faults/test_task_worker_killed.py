"""Fault 2: `kill -9` of the task worker mid-batch, and of two task workers running at once.

The supervisor (`serve --with-worker`) starts a fresh task worker; the killed worker's
leased emails wait for the lease (EMAIL_LEASE_SECONDS: 10 s here, 300 s by default) and are
then sent by another worker. Emails the killed worker had handed to the SMTP server but not
yet marked sent go out again: at most one batch (the outbox's batch_size) per killed worker.
Counting is one transaction per batch, so nothing is ever counted twice. On the Redis queue
the killed worker's periodic runs are released once its alive key expires (10 s), so the new
worker does not wait for STALE_AFTER (undersigned/worker/redis_worker.py).

Signers here click their link 12 s after it arrives, later than the lease: a signature
confirmed before its email is sent again owes no email any more, so quicker clicks would
hide the duplicates this test counts.
"""

import os
import signal
import time

import pytest
import redis

from tests.faults.parts import stop_process, wait_until
from undersigned.signatures.emails import SignatureEmails

# Each on both task queues: the database (django-tasks-db) and Redis (TASKS_URL, RQ).
pytestmark = [
    pytest.mark.fault,
    pytest.mark.parametrize("stack", ["database", "redis"], indirect=True),
]

BATCH = SignatureEmails.batch_size
RESTART_WITHIN = 15.0  # the supervisor's first backoff is 1 s
CLICK_AFTER = 12.0  # > EMAIL_LEASE_SECONDS (10 s in tests/faults/parts.py)


def kill_mid_batch(stack, pids: list[int]) -> float:
    """Kill `pids` while the sink is receiving a batch; the time of the kill."""
    stack.sink.delay = 0.04  # about 25 emails a second: sending is a long part of each round
    wait_until(
        lambda: time.monotonic() - stack.sink.last_received() < 0.05, 20, "a batch being sent"
    )
    killed_at = time.monotonic()
    for pid in pids:
        os.kill(pid, signal.SIGKILL)
    stack.sink.delay = 0.0
    return killed_at


def worker_back(stack, old: set[int]) -> float:
    """Seconds until a new task worker runs and has finished a round (/healthz says so)."""
    started = time.monotonic()
    wait_until(
        lambda: bool(set(stack.site.task_workers()) - old), RESTART_WITHIN, "a new task worker"
    )
    wait_until(lambda: stack.healthz("?worker=required") == 200, 30, "the new worker's heartbeat")
    return round(time.monotonic() - started, 2)


def kill_and_check(stack, name: str, workers: list[int]) -> dict:
    """Kill `workers` mid-batch, wait for the supervised one to come back, check, measure."""
    if queue_of(stack) == "redis":  # the periodic runs really go through the Redis queue
        tasks_redis = redis.Redis.from_url(stack.site.env["TASKS_URL"])
        assert tasks_redis.keys("undersigned:periodic:*")
        # Each worker signs in to RQ with its first round (a loaded machine starts slowly).
        wait_until(lambda: tasks_redis.scard("rq:workers") == len(workers), 30, "RQ workers")
    killed_at = kill_mid_batch(stack, workers)
    back_s = worker_back(stack, set(workers))
    time.sleep(4)
    bound = len(workers) * BATCH
    result = stack.settle_and_check(
        name,
        killed_workers=len(workers),
        worker_back_s=back_s,
        failed_during_fault=len(stack.load.failures_between(killed_at, time.monotonic())),
        duplicate_bound=bound,
        lease_s=int(stack.site.env["EMAIL_LEASE_SECONDS"]),
    )
    assert result["duplicate_emails"] <= bound
    assert result["failed_during_fault"] == 0  # the site never depended on the worker
    return result


def queue_of(stack) -> str:
    return "redis" if "TASKS_URL" in stack.site.env else "database"


def test_killing_the_task_worker_mid_batch_loses_nothing(stack):
    stack.load.confirm_delay = CLICK_AFTER
    time.sleep(4)
    workers = stack.site.task_workers()
    assert len(workers) == 1
    kill_and_check(stack, f"task_worker_killed_mid_batch_{queue_of(stack)}", workers)


def test_killing_two_task_workers_at_once_counts_nothing_twice(stack):
    stack.load.confirm_delay = CLICK_AFTER
    extra = stack.site.start_extra_worker()
    try:
        time.sleep(5)  # two workers share the outbox and the counting (SKIP LOCKED)
        workers = [*stack.site.task_workers(), extra.pid]
        assert len(workers) == 2
        kill_and_check(stack, f"two_task_workers_killed_{queue_of(stack)}", workers)
    finally:
        stop_process(extra)
