"""Fault 1: `kill -9` of one app worker. granian replaces it while the other keeps serving."""

import os
import signal
import time

import pytest

from tests.faults.parts import wait_until

pytestmark = pytest.mark.fault

RESPAWN_WITHIN = 15.0  # seconds until two app workers serve again (respawn interval: 1 s)


def test_killing_one_app_worker_keeps_the_site_answering(stack):
    time.sleep(4)  # steady load first
    before = stack.site.app_workers()
    assert len(before) == 2
    victim = before[0]
    killed_at = time.monotonic()
    os.kill(victim, signal.SIGKILL)
    respawn_s = wait_until(
        lambda: len(stack.site.app_workers()) == 2 and victim not in stack.site.app_workers(),
        RESPAWN_WITHIN,
        "a new app worker in place of the killed one",
    )
    time.sleep(6)  # load on the replaced worker
    failed = stack.load.failures_between(killed_at, time.monotonic())
    answering = stack.load.answering_again(killed_at)
    assert stack.healthz() == 200
    assert answering is not None and answering < RESPAWN_WITHIN
    # At most the requests that were in flight on the killed worker fail (4 threads).
    assert len(failed) <= 4 * 2
    stack.settle_and_check(
        "app_worker_killed",
        respawn_s=round(respawn_s, 2),
        failed_during_fault=len(failed),
        answering_again_s=answering,
        server_still_running=stack.site.process.poll() is None,
    )
    assert stack.site.process.poll() is None  # serve itself never went down
