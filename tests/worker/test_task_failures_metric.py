"""Each failed task run is counted for /metrics (worker/failures.py), on both task queues."""

from __future__ import annotations

import pytest

from tests.worker import tasks
from undersigned.worker.failures import failures_by_task
from undersigned.worker.selectors import queued_tasks

pytestmark = pytest.mark.django_db

FAILING = "tests.worker.tasks.fail_quoting_an_address"


class OneShotScheduler:
    def is_alive(self) -> bool:
        return True


def test_every_failed_run_adds_one_to_its_task_on_either_queue(queue):
    worker = queue.worker(OneShotScheduler())
    for _ in range(2):
        tasks.fail_quoting_an_address.enqueue()
        worker.round()
    tasks.add.enqueue(1, 2)
    worker.round()  # a success counts nothing
    assert failures_by_task() == {FAILING: 2}


def test_the_queue_depth_is_read_from_either_queue(queue):
    tasks.add.enqueue(1, 2)
    tasks.add.enqueue(3, 4)
    waiting = queued_tasks()
    assert waiting.rows == 2
    assert (waiting.oldest is None) == (queue.name == "redis")  # Redis tells only how many
