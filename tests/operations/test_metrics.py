"""What /metrics says: requests per route group, and the backlogs read from the database."""

from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from tests.factories import make_petition, make_signature, pending, sign_form_data
from tests.operations.helpers import TOKEN, scrape, value
from tests.operations.tasks import fail_on_purpose
from undersigned.core.outbox import Outbox, OutboxEmail
from undersigned.operations import gauges
from undersigned.signatures.models import EmailDue, HeldReason

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("metrics_on")]


@pytest.fixture
def metrics_on():
    with override_settings(METRICS_TOKEN=TOKEN):
        yield


def requests(text: str, group: str, method: str, status: str) -> float:
    try:
        return value(text, "undersigned_http_requests_total", group=group, method=method,
                     status=status)  # fmt: skip
    except KeyError:
        return 0.0


def test_requests_are_counted_by_route_group_never_by_path():
    petition = make_petition()
    client = Client()
    before = scrape()
    client.get(f"/petitions/{petition.slug}/")
    client.post(f"/petitions/{petition.slug}/sign/", sign_form_data())
    client.get(f"/petitions/{petition.slug}/count.json")
    client.get("/no-such-page-7f3a9c/?email=jane@example.org")
    after = scrape()

    assert requests(after, "page", "GET", "200") == requests(before, "page", "GET", "200") + 1
    assert requests(after, "sign", "POST", "303") == requests(before, "sign", "POST", "303") + 1
    assert requests(after, "count", "GET", "200") == requests(before, "count", "GET", "200") + 1
    assert requests(after, "other", "GET", "404") == requests(before, "other", "GET", "404") + 1
    assert "no-such-page" not in after and petition.slug not in after and "jane" not in after


def test_latency_is_a_histogram_per_route_group():
    petition = make_petition()
    before = value(scrape(), "undersigned_http_request_duration_seconds_count", group="page")
    Client().get(f"/petitions/{petition.slug}/")
    text = scrape()
    assert value(text, "undersigned_http_request_duration_seconds_count", group="page") == (
        before + 1
    )
    assert value(text, "undersigned_http_request_duration_seconds_bucket", group="page",
                 le="+Inf") == before + 1  # fmt: skip


def test_methods_a_client_invents_are_counted_as_other():
    Client().generic("BREW", "/")
    text = scrape()
    assert requests(text, "page", "other", "405") >= 1
    assert "BREW" not in text


def test_every_answer_carries_its_request_id():
    first, second = Client().get("/healthz"), Client().get("/healthz")
    assert len(first["X-Request-ID"]) == 16
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_signature_emails_due_are_reported_per_kind_with_their_age():
    petition = make_petition()
    make_signature(
        petition, **pending(), email_due=EmailDue.CONFIRMATION,
        email_next_attempt_at=timezone.now() - timedelta(seconds=90),
    )  # fmt: skip
    make_signature(
        petition,
        **pending(),
        email_due=EmailDue.CONFIRMATION,
        email_next_attempt_at=timezone.now() + timedelta(hours=1),
    )  # a retry, later
    text = scrape()
    assert value(text, "undersigned_outbox_due", outbox="signature", kind="confirm") == 1
    assert value(text, "undersigned_outbox_due", outbox="signature", kind="already") == 0
    age = value(text, "undersigned_outbox_oldest_due_seconds", outbox="signature",
                kind="confirm")  # fmt: skip
    assert 90 <= age < 120


def test_every_outbox_of_the_site_is_measured():
    def every_subclass(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from every_subclass(sub)

    measured = set(gauges.OUTBOXES)
    assert set(every_subclass(Outbox)) <= measured
    models = {box.model for box in measured}
    assert {model for model in every_subclass(OutboxEmail) if not model._meta.abstract} <= models
    text = scrape()
    for box in measured:
        for kind in box().kinds():
            assert value(text, "undersigned_outbox_due", outbox=box.key, kind=kind) == 0


def test_counting_lag_is_the_age_of_the_earliest_confirmation_not_yet_counted():
    petition = make_petition()
    text = scrape()
    assert value(text, "undersigned_counting_backlog") == 0
    assert value(text, "undersigned_counting_lag_seconds") == 0
    make_signature(petition, confirmed_at=timezone.now() - timedelta(minutes=3))
    make_signature(petition)
    make_signature(petition, counted=True, confirmed_at=timezone.now() - timedelta(hours=5))
    text = scrape()
    assert value(text, "undersigned_counting_backlog") == 2
    assert 180 <= value(text, "undersigned_counting_lag_seconds") < 240


def test_held_signatures_are_reported_per_reason():
    petition = make_petition()
    make_signature(petition, held_reason=HeldReason.SUBNET_RATE)
    make_signature(petition, held_reason=HeldReason.SUBNET_RATE, invalidated=True)  # decided
    text = scrape()
    assert value(text, "undersigned_held_signatures", reason="subnet") == 1
    assert value(text, "undersigned_held_signatures", reason="domain") == 0
    assert value(text, "undersigned_held_oldest_seconds", reason="subnet") >= 0


def test_a_failed_task_is_counted_for_its_task():
    worker = Worker(
        queue_names=["default"], interval=0, batch=True, backend_name="default",
        startup_delay=False, max_tasks=None, worker_id="test", excluded_queue_names=[],
    )  # fmt: skip
    name = "tests.operations.tasks.fail_on_purpose"
    for _ in range(2):
        result = fail_on_purpose.enqueue()
        worker.run_task(DBTaskResult.objects.get(id=result.id))
    assert value(scrape(), "undersigned_task_failures_total", task=name) == 2


def test_queued_tasks_and_the_worker_heartbeat_are_reported():
    from undersigned.worker import heartbeat

    heartbeat.beat(now=timezone.now() - timedelta(seconds=30))
    fail_on_purpose.enqueue()
    text = scrape()
    assert value(text, "undersigned_tasks_queued") == 1
    assert value(text, "undersigned_worker_last_round_seconds") >= 30


def test_a_part_that_cannot_be_read_is_flagged_and_the_rest_still_served(monkeypatch):
    def broken(now):
        raise RuntimeError("the database is away")

    monkeypatch.setitem(gauges.PARTS, "held", broken)
    text = scrape()
    assert value(text, "undersigned_metrics_collect_failed", part="held") == 1
    assert value(text, "undersigned_metrics_collect_failed", part="counting") == 0
    assert value(text, "undersigned_counting_backlog") == 0
