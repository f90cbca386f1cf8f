"""The task worker survives a failed round, beats after a good one, and never waits forever
on a periodic run nobody will finish (undersigned/worker/runner.py)."""

from __future__ import annotations

import logging
import time

import pytest
from django.db.utils import OperationalError
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from undersigned.worker import heartbeat, runner

pytestmark = pytest.mark.django_db


class OneShotScheduler:
    def is_alive(self) -> bool:
        return True


def test_a_failed_round_is_logged_without_its_text_and_retried_then_it_beats(monkeypatch, caplog):
    worker = runner.RobustWorker(scheduler=OneShotScheduler(), interval=0)  # type: ignore[arg-type]
    rounds: list[str] = []

    def flaky_round() -> bool:
        rounds.append("round")
        if len(rounds) == 1:
            raise OperationalError("server closed the connection for jane@example.org")
        worker.running = False  # one good round, then stop
        return False

    closed: list[bool] = []
    monkeypatch.setattr(worker, "round", flaky_round)
    monkeypatch.setattr(runner, "FIRST_BACKOFF", 0.01)
    # The test's own connection (inside its transaction) must stay open; the worker closes
    # broken ones before each round and all of them after a failure.
    monkeypatch.setattr(runner, "close_broken_connections", lambda: None)
    monkeypatch.setattr(runner, "close_all_connections", lambda: closed.append(True))
    caplog.set_level(logging.WARNING, logger="undersigned.worker.runner")
    assert heartbeat.last_beat() is None
    worker.run()  # returns: the failure did not end it
    assert rounds == ["round", "round"]
    assert closed == [True]  # the next round opens a fresh connection
    assert "worker round failed (OperationalError)" in caplog.text
    assert "jane@example.org" not in caplog.text
    age = heartbeat.age_seconds()
    assert age is not None and age < 5


def test_the_worker_exits_when_its_scheduler_has_stopped():
    class DeadScheduler:
        def is_alive(self) -> bool:
            return False

    worker = runner.RobustWorker(scheduler=DeadScheduler(), interval=0)  # type: ignore[arg-type]
    with pytest.raises(SystemExit) as exit_:
        worker.run()
    assert exit_.value.code == 3  # its supervisor starts a fresh one


def test_a_periodic_run_left_pending_is_enqueued_again_once_stale(monkeypatch):
    scheduler = runner.Scheduler(tick=1)
    periodic = runner.PERIODIC_TASKS[0][0]
    scheduler.enqueue_unless_pending(periodic)
    first = scheduler.last[periodic.name]
    DBTaskResult.objects.filter(id=first.id).update(status=TaskResultStatus.RUNNING)

    scheduler.enqueue_unless_pending(periodic)  # still running, and recent: left alone
    assert scheduler.last[periodic.name].id == first.id

    # As if its worker died (or its result could not be written) STALE_AFTER ago.
    scheduler.enqueued_at[periodic.name] = time.monotonic() - runner.STALE_AFTER - 1
    scheduler.enqueue_unless_pending(periodic)
    assert scheduler.last[periodic.name].id != first.id
    assert DBTaskResult.objects.count() == 2


def test_backoff_doubles_to_its_cap_and_resets():
    backoff = runner.Backoff(first=0.5, most=5.0)
    assert [backoff.failed() for _ in range(6)] == [0.5, 1.0, 2.0, 4.0, 5.0, 5.0]
    backoff.succeeded()
    assert backoff.failed() == 0.5
