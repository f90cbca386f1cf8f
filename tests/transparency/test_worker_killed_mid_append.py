"""`kill -9` of the real worker while it counts and appends: log and count agree at once
(each batch is one transaction), and again when a new worker has counted the rest."""

from __future__ import annotations

import os
import signal
import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from tests.factories import make_petition
from undersigned.core.linktoken import new_key
from undersigned.signatures.models import Signature
from undersigned.signatures.services import new_receipt_secret
from undersigned.transparency.reconcile import reconcile

pytestmark = pytest.mark.django_db(transaction=True)
SIGNERS = 20_000
WAIT_S = 60


def wait_until(condition, what: str) -> None:
    deadline = time.monotonic() + WAIT_S
    while not condition():
        assert time.monotonic() < deadline, f"{what} within {WAIT_S}s"
        time.sleep(0.05)


def test_killing_the_worker_mid_append_leaves_log_and_count_equal(start_worker):
    petition = make_petition(slug="free-them")
    now = timezone.now()
    Signature.objects.bulk_create(
        Signature(petition=petition, name="A Signer", email=f"s{i}@example.org",
                  email_normalised=f"s{i}@example.org", country="DE",
                  confirmation_key=new_key(), confirmation_expires_at=now + timedelta(days=7),
                  confirmed_at=now, receipt_secret=new_receipt_secret())
        for i in range(SIGNERS)
    )  # fmt: skip
    counted = Signature.objects.filter(petition=petition, counted=True)
    worker = start_worker(tick=0.2)
    wait_until(lambda: counted.exists(), "the worker counts")
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)
    at_kill = reconcile(petition)
    assert at_kill.agrees, at_kill.problems
    assert 0 < at_kill.page_count < SIGNERS, "killed while there was more to count"

    start_worker(tick=0.2)  # the restart
    wait_until(lambda: counted.count() == SIGNERS, "the new worker counts the rest")
    cache.clear()  # the page's count is cached COUNT_CACHE_SECONDS since at_kill read it
    after = reconcile(petition)
    assert after.agrees, after.problems
    assert after.log_count == after.page_count == SIGNERS
