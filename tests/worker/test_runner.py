"""The task worker survives a failed round, beats after a good one, runs what is enqueued and
never waits forever on a periodic run nobody will finish — on the database queue and on the
Redis queue alike (undersigned/worker/; each test runs once per queue, tests/worker/conftest.py)."""

from __future__ import annotations

import logging
import time
from datetime import timedelta

import pytest
from django.db.utils import OperationalError
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from redis.exceptions import ConnectionError as RedisConnectionError
from rq.job import Job, JobStatus

from tests.faults.parts import RedisServer
from tests.worker import tasks
from undersigned.config import tasks as tasks_config
from undersigned.worker import backends, heartbeat, loop, redis_worker, runner
from undersigned.worker.database_worker import LocalRuns
from undersigned.worker.failures import failures_by_task
from undersigned.worker.redis_worker import RedisRuns, RedisWorker

pytestmark = pytest.mark.django_db


class OneShotScheduler:
    def is_alive(self) -> bool:
        return True


def run_rounds(worker, rounds: int = 1) -> None:
    for _ in range(rounds):
        worker.round()


def test_a_failed_round_is_logged_without_its_text_and_retried_then_it_beats(
    queue, monkeypatch, caplog
):
    worker = queue.worker(OneShotScheduler())
    rounds: list[str] = []

    def flaky_round() -> bool:
        rounds.append("round")
        if len(rounds) == 1:
            raise OperationalError("server closed the connection for jane@example.org")
        worker.running = False  # one good round, then stop
        return False

    closed: list[bool] = []
    monkeypatch.setattr(worker, "round", flaky_round)
    monkeypatch.setattr(loop, "FIRST_BACKOFF", 0.01)
    # The test's own connection (inside its transaction) must stay open; the worker closes
    # broken ones before each round and all of them after a failure.
    monkeypatch.setattr(loop, "close_broken_connections", lambda: None)
    monkeypatch.setattr(loop, "close_all_connections", lambda: closed.append(True))
    caplog.set_level(logging.WARNING, logger="undersigned.worker.runner")
    assert heartbeat.last_beat() is None
    worker.run()  # returns: the failure did not end it
    assert rounds == ["round", "round"]
    assert closed == [True]  # the next round opens a fresh connection
    assert "worker round failed (OperationalError)" in caplog.text
    assert "jane@example.org" not in caplog.text
    age = heartbeat.age_seconds()
    assert age is not None and age < 5


def test_the_worker_exits_when_its_scheduler_has_stopped(queue):
    class DeadScheduler:
        def is_alive(self) -> bool:
            return False

    worker = queue.worker(DeadScheduler())
    with pytest.raises(SystemExit) as exit_:
        worker.run()
    assert exit_.value.code == 3  # its supervisor starts a fresh one


def test_an_enqueued_task_runs_and_its_result_reads_back(queue, monkeypatch):
    monkeypatch.setattr(loop, "close_broken_connections", lambda: None)
    result = tasks.add.enqueue(2, 3)
    assert result.status == TaskResultStatus.READY
    assert backends.queued_tasks() == 1
    worker = queue.worker(OneShotScheduler())
    assert worker.round() is True
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 5
    assert tasks.add.get_result(result.id).return_value == 5
    assert backends.queued_tasks() == 0
    assert worker.round() is False  # nothing left


def test_a_failed_task_is_recorded_and_counted_and_logged_by_type_only(queue, caplog):
    caplog.set_level(logging.INFO)
    result = tasks.fail_quoting_an_address.enqueue()
    worker = queue.worker(OneShotScheduler())
    worker.round()
    result.refresh()
    assert result.status == TaskResultStatus.FAILED
    assert result.errors[-1].exception_class is ValueError
    assert backends.failed_tasks() == 1
    # /metrics' counter (worker/failures.py), from either queue's task_finished signal.
    assert failures_by_task() == {"tests.worker.tasks.fail_quoting_an_address": 1}
    if queue.name == "redis":
        # The worker's own line names the type only; RQ's (a traceback) is replaced by it.
        # (django.tasks / django_tasks log the failure as they do on the database queue.)
        assert "task tests.worker.tasks.fail_quoting_an_address failed (ValueError)" in caplog.text
        assert not [
            r for r in caplog.records if r.name.startswith("rq.") and "jane" in r.getMessage()
        ]


def test_a_periodic_run_is_enqueued_again_only_once_the_last_has_finished(queue):
    runs = queue.runs()
    periodic = runner.PERIODIC_TASKS[0][0]
    assert runs.enqueue_unless_pending(periodic) is True
    assert runs.enqueue_unless_pending(periodic) is False  # still queued: left alone
    assert backends.queued_tasks() == 1
    runs.tick()  # this worker says it is alive
    worker = queue.worker(OneShotScheduler())
    assert worker.round() is True  # the run finishes
    assert runs.enqueue_unless_pending(periodic) is True
    assert backends.queued_tasks() == 1


def test_a_periodic_run_left_pending_is_enqueued_again_once_stale(queue):
    runs = queue.runs(stale_after=1.0)
    periodic = runner.PERIODIC_TASKS[0][0]
    runs.enqueue_unless_pending(periodic)
    assert runs.enqueue_unless_pending(periodic) is False
    # As if its worker died (or its result could not be written) STALE_AFTER ago.
    if queue.name == "database":
        runs.enqueued_at[periodic.name] = time.monotonic() - 2
    else:
        time.sleep(1.1)  # the run key's expiry (whole seconds in Redis)
    assert runs.enqueue_unless_pending(periodic) is True
    assert backends.queued_tasks() == 2


def test_a_database_run_that_another_worker_took_does_not_hold_back_the_next(db):
    """Host a's worker took the run host b's scheduler enqueued, and host a was lost with it
    (tests/cluster): the run stays RUNNING for ever, and host b must not wait STALE_AFTER."""
    runs = LocalRuns(stale_after=300.0, worker_id="worker-b")
    periodic = runner.PERIODIC_TASKS[0][0]
    assert runs.enqueue_unless_pending(periodic) is True
    DBTaskResult.objects.get().claim("worker-a")
    assert runs.enqueue_unless_pending(periodic) is True
    DBTaskResult.objects.get(status=TaskResultStatus.READY).claim("worker-b")
    assert runs.enqueue_unless_pending(periodic) is False  # its own worker is running it
    assert DBTaskResult.objects.count() == 2


def started_by(connection, job_id: str, worker_name: str) -> None:
    """As if `worker_name` had taken the job and started it."""
    job = Job.fetch(job_id, connection=connection)
    job.worker_name = worker_name
    job.set_status(JobStatus.STARTED)
    job.save()


def test_every_redis_worker_shares_one_pending_run_of_each_periodic_task(redis_queue):
    a, b = redis_queue.runs("worker-a"), redis_queue.runs("worker-b")
    periodic = runner.PERIODIC_TASKS[1][0]
    assert a.enqueue_unless_pending(periodic) is True
    assert b.enqueue_unless_pending(periodic) is False  # worker-a's run is pending
    assert backends.queued_tasks() == 1


def test_a_redis_run_started_by_a_worker_that_died_is_enqueued_again_at_once(redis_queue):
    a, b = redis_queue.runs("worker-a"), redis_queue.runs("worker-b")
    a.tick()
    b.tick()
    periodic = runner.PERIODIC_TASKS[0][0]
    a.enqueue_unless_pending(periodic)
    job_id = redis_queue.connection.get(redis_worker.RUN_KEY.format(periodic.module_path)).decode()
    started_by(redis_queue.connection, job_id, "worker-a")
    assert b.enqueue_unless_pending(periodic) is False  # worker-a is alive and running it
    redis_queue.connection.delete(
        redis_worker.alive_key("worker-a")
    )  # its alive key expired: killed
    assert b.enqueue_unless_pending(periodic) is True


def test_a_deferred_redis_task_waits_for_its_time_then_runs(redis_queue):
    runs = redis_queue.runs()
    later = tasks.add.using(run_after=timezone.now() + timedelta(seconds=1)).enqueue(1, 1)
    worker = redis_queue.worker(OneShotScheduler())
    runs.tick()
    assert backends.queued_tasks() == 0  # not yet due
    time.sleep(1.1)
    runs.tick()  # one scheduler (holding RQ's lock) moves due jobs to the queue
    assert worker.round() is True
    later.refresh()
    assert later.return_value == 2


def test_backoff_doubles_to_its_cap_and_resets():
    backoff = loop.Backoff(first=0.5, most=5.0)
    assert [backoff.failed() for _ in range(6)] == [0.5, 1.0, 2.0, 4.0, 5.0, 5.0]
    backoff.succeeded()
    assert backoff.failed() == 0.5


def test_the_redis_worker_carries_on_after_its_redis_restarts(
    redis_queue, settings, monkeypatch, tmp_path
):
    """A Redis of its own, killed and started again on the same port (empty, as a Redis
    without persistence comes back): the rounds in between fail, the next ones work."""
    server = RedisServer(tmp_path)
    server.start()
    try:
        settings.RQ_QUEUES = tasks_config.rq_queues(server.url)
        connection = backends.redis_connection()
        worker = RedisWorker(scheduler=OneShotScheduler(), connection=connection, name="w")
        runs = RedisRuns(connection, worker_name="w", stale_after=300, tick=1)
        monkeypatch.setattr(loop, "close_broken_connections", lambda: None)
        assert worker.round() is False
        server.kill()
        with pytest.raises(RedisConnectionError):
            worker.round()  # the loop logs its type and backs off (the first test above)
        with pytest.raises(RedisConnectionError):
            runs.tick()  # the scheduler thread's round fails likewise, and is retried
        server.start()
        runs.tick()
        assert runs.enqueue_unless_pending(runner.PERIODIC_TASKS[1][0]) is True
        assert worker.round() is True  # the same objects work again
        result = tasks.add.enqueue(20, 22)
        assert worker.round() is True
        result.refresh()
        assert result.return_value == 42
    finally:
        server.kill()
