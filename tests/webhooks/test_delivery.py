"""How deliveries are sent: signed, no redirects, short excerpts, disabling and telling the
admins, tests and redeliveries — against a real local receiver."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from tests.factories import make_case, make_organisation, make_petition, make_signature, make_staff
from tests.fixtures.smtp import text_body
from tests.webhooks.helpers import make_endpoint, worker_round
from undersigned.audit.models import AuditAction, AuditLogEntry
from undersigned.campaigns.models import Role
from undersigned.webhooks import delivery, notices, services, signing
from undersigned.webhooks.models import Delivery, DisabledReason, Endpoint, Event, Failure
from undersigned.webhooks.transport import url_problem

pytestmark = pytest.mark.django_db
START = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)


@pytest.fixture
def organisation():
    return make_organisation(name="Riverside Watch")


@pytest.fixture
def petition(organisation):
    return make_petition(case=make_case(organisation=organisation))


def test_a_redirect_is_not_followed_and_counts_as_a_failure(organisation, petition, receiver):
    receiver.answer, receiver.extra_headers = 302, {"Location": "http://127.0.0.1:1/elsewhere"}
    receiver.start()
    make_endpoint(organisation, receiver.url)
    make_signature(petition)
    worker_round()
    delivery = Delivery.objects.get()
    assert len(receiver.requests) == 1
    assert (delivery.failure, delivery.response_status) == (Failure.REDIRECT, 302)
    assert delivery.next_attempt_at is not None and delivery.delivered_at is None


def test_only_the_first_300_characters_of_an_answer_are_kept(organisation, petition, receiver):
    receiver.answer, receiver.answer_body = 500, b"x" * 100_000
    receiver.start()
    make_endpoint(organisation, receiver.url)
    make_signature(petition)
    worker_round()
    assert len(Delivery.objects.get().response_excerpt) == 300


def test_410_gone_disables_the_endpoint_and_emails_its_admins(
    organisation, petition, receiver, admins_mailbox
):
    admin = make_staff(organisation, Role.ADMIN, email="admin@riverside.example")
    make_staff(organisation, Role.EDITOR, email="editor@riverside.example")
    receiver.answer = 410
    receiver.start()
    endpoint = make_endpoint(organisation, receiver.url)
    make_signature(petition)
    worker_round()
    endpoint.refresh_from_db()
    assert not endpoint.enabled and endpoint.disabled_reason == DisabledReason.GONE
    notices.send_due_notices()
    (message,) = admins_mailbox.wait_for(1)
    assert message["To"] == admin.email
    assert "410 Gone" in text_body(message)
    assert f"/staff/organisations/{organisation.slug}/webhooks/{endpoint.pk}/" in text_body(message)
    assert AuditLogEntry.objects.filter(action=AuditAction.WEBHOOK_DISABLED, user_id=None).exists()


def test_an_endpoint_failing_for_24_hours_is_disabled_and_resumes_when_enabled(
    organisation, petition, receiver, admins_mailbox
):
    make_staff(organisation, Role.ADMIN, email="admin@riverside.example")
    endpoint = make_endpoint(organisation, receiver.url)  # nothing listens
    with time_machine.travel(START, tick=False) as clock:
        make_signature(petition)
        for _hour in range(25):
            worker_round()
            clock.shift(timedelta(minutes=61))
        endpoint.refresh_from_db()
        assert not endpoint.enabled and endpoint.disabled_reason == DisabledReason.FAILING
        notices.send_due_notices()
        assert "24 hours" in text_body(admins_mailbox.wait_for(1)[0])
        # What waited, and what happened since, goes once an admin enables it again.
        assert Delivery.objects.get().next_attempt_at is not None
        make_signature(petition)
        worker_round()
        assert Delivery.objects.count() == 2 and receiver.requests == []
        receiver.start()
        services.enable_endpoint(endpoint, acting_user=None)
        worker_round()
    assert len(receiver.accepted()) == 2
    assert not Delivery.objects.filter(delivered_at__isnull=True).exists()


def test_a_webhook_disabled_by_staff_is_sent_nothing(organisation, petition, receiver):
    receiver.start()
    endpoint = make_endpoint(organisation, receiver.url)
    services.disable_endpoint(endpoint, acting_user=None)
    make_signature(petition)
    worker_round()
    assert receiver.requests == [] and Delivery.objects.count() == 0


def test_the_log_is_pruned_after_the_keep_days_but_not_what_is_still_owed(
    organisation, petition, receiver, settings
):
    settings.WEBHOOK_KEEP_DAYS = 30
    receiver.start()
    make_endpoint(organisation, receiver.url)
    with time_machine.travel(START, tick=False) as clock:
        make_signature(petition)
        worker_round()  # delivered
        receiver.stop()
        make_signature(petition)
        worker_round()  # owed, retrying
        clock.shift(timedelta(days=31))
        assert delivery.prune_log() == 1
    (kept,) = Delivery.objects.all()
    assert kept.delivered_at is None and kept.events.count() == 1
    assert Event.objects.count() == 1


def test_a_test_goes_to_a_disabled_endpoint_once(organisation, receiver):
    receiver.start()
    endpoint = make_endpoint(organisation, receiver.url, enabled=False)
    services.send_test(endpoint, acting_user=None)
    worker_round()
    (request,) = receiver.accepted()
    assert request.items[0]["type"] == "webhook.test"
    assert signing.verify(endpoint.secret, request.headers, request.body, now=request.received_at)


def test_a_failed_test_is_not_retried_and_does_not_count_against_the_endpoint(organisation,
                                                                             receiver):  # fmt: skip
    endpoint = make_endpoint(organisation, receiver.url)  # nothing listens
    services.send_test(endpoint, acting_user=None)
    worker_round()
    delivery = Delivery.objects.get()
    assert delivery.next_attempt_at is None and delivery.failed_at is not None
    assert Endpoint.objects.get(pk=endpoint.pk).failing_since is None


def test_a_redelivery_keeps_its_webhook_id(organisation, petition, receiver):
    receiver.start()
    make_endpoint(organisation, receiver.url)
    make_signature(petition)
    worker_round()
    services.redeliver(Delivery.objects.get(), acting_user=None)
    worker_round()
    first, second = receiver.accepted()
    assert first.headers["webhook-id"] == second.headers["webhook-id"]
    assert first.body == second.body


def test_after_a_rotation_deliveries_are_signed_with_both_secrets_for_a_day(
    organisation, petition, receiver
):
    receiver.start()
    endpoint = make_endpoint(organisation, receiver.url)
    old = endpoint.secret
    new = services.rotate_secret(endpoint, acting_user=None)
    make_signature(petition)
    worker_round()
    (request,) = receiver.accepted()
    assert signing.verify(old, request.headers, request.body, now=request.received_at)
    assert signing.verify(new, request.headers, request.body, now=request.received_at)


@pytest.mark.parametrize(
    ("url", "local_allowed", "problem"),
    [
        ("https://crm.example.org/hooks", False, None),
        ("http://crm.example.org/hooks", False, "scheme"),
        ("http://127.0.0.1:8000/hooks", False, "scheme"),
        ("http://127.0.0.1:8000/hooks", True, None),
        ("http://localhost:8000/hooks", True, None),
        ("http://crm.example.org/hooks", True, "scheme"),
        ("https://10.0.0.5/hooks", False, "address"),
        ("https://169.254.169.254/latest/meta-data", False, "address"),
        ("https://[::1]/hooks", False, "address"),
        ("https://user:pass@crm.example.org/hooks", False, "form"),
        ("https:///hooks", False, "form"),
    ],
)
def test_which_urls_may_be_endpoints(settings, url, local_allowed, problem):
    settings.WEBHOOK_LOCAL_RECEIVERS = local_allowed
    assert url_problem(url) == problem


def test_a_name_that_resolves_to_a_private_address_is_not_called(organisation, petition,
                                                                  settings):  # fmt: skip
    settings.WEBHOOK_LOCAL_RECEIVERS = False
    make_endpoint(organisation, "https://localhost:20699/hooks")  # resolves to 127.0.0.1
    make_signature(petition)
    worker_round()
    assert Delivery.objects.get().failure == Failure.ADDRESS
