"""Fault 3: PostgreSQL restarted in immediate mode, then stopped for 20 s.

The app answers 503 on /healthz while the database is away and 200 once it is back, without
a restart; the task worker closes its broken connections, retries with backoff (up to 5 s
apart) and beats again, so /healthz?worker=required turns 200 as well.
"""

import threading
import time

import pytest

from tests.faults.parts import wait_until

pytestmark = pytest.mark.fault

STOPPED_FOR = 20.0
BACK_WITHIN = 15.0  # seconds after PostgreSQL is back: app and worker both healthy


class HealthWatch(threading.Thread):
    """Polls /healthz and /healthz?worker=required four times a second."""

    def __init__(self, stack) -> None:
        super().__init__(daemon=True)
        self.stack = stack
        self.seen: list[tuple[float, int, int]] = []
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.wait(0.25):
            app = self.stack.healthz()
            worker = self.stack.healthz("?worker=required")
            self.seen.append((time.monotonic(), app, worker))

    def statuses_between(self, start: float, end: float) -> set[int]:
        return {app for at, app, _ in self.seen if start <= at <= end}


def both_healthy(stack) -> bool:
    return stack.healthz() == 200 and stack.healthz("?worker=required") == 200


def test_the_app_and_the_worker_recover_from_a_postgres_restart_and_a_stop(stack):
    watch = HealthWatch(stack)
    watch.start()
    time.sleep(4)
    processes = (stack.site.task_workers(), sorted(stack.site.app_workers()))

    # (a) restart in immediate mode: every connection breaks at once.
    restart_at = time.monotonic()
    stack.cluster.restart_immediate()
    back_at = time.monotonic()
    restart_recovery = wait_until(lambda: both_healthy(stack), BACK_WITHIN, "healthy again")
    time.sleep(4)
    answering_after_restart = stack.load.answering_again(back_at)

    # (b) stopped for 20 s.
    stopped_at = time.monotonic()
    stack.cluster.stop("immediate")
    wait_until(lambda: stack.healthz() == 503, 10, "/healthz saying 503 while the database is down")
    time.sleep(max(0.0, STOPPED_FOR - (time.monotonic() - stopped_at)))
    stack.cluster.start()
    started_at = time.monotonic()
    stop_recovery = wait_until(lambda: both_healthy(stack), BACK_WITHIN, "healthy again")
    time.sleep(4)
    answering_after_stop = stack.load.answering_again(started_at)
    watch.stopping.set()
    watch.join()

    during = watch.statuses_between(stopped_at + 1, started_at - 0.5)
    assert during == {503}  # never a hang, never a 200 while the database is away
    assert answering_after_restart is not None and answering_after_stop is not None
    stack.settle_and_check(
        "postgres_restarted",
        restart_immediate_s=round(back_at - restart_at, 2),
        healthy_after_restart_s=round(restart_recovery, 2),
        answering_after_restart_s=answering_after_restart,
        stopped_s=round(started_at - stopped_at, 2),
        healthz_while_stopped=sorted(during),
        healthy_after_stop_s=round(stop_recovery, 2),
        answering_after_stop_s=answering_after_stop,
        failed_during_stop=len(stack.load.failures_between(stopped_at, started_at + 15)),
    )
    assert stop_recovery < BACK_WITHIN
    # Recovered in place: the same task worker and app workers, none restarted.
    assert (stack.site.task_workers(), sorted(stack.site.app_workers())) == processes
