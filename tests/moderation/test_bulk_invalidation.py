"""Bulk invalidation: preview, confirm, the worker applies exactly the preview, revert undoes it."""

from __future__ import annotations

import pytest
from django_tasks_db.models import DBTaskResult

from tests.factories import make_signatures
from tests.moderation.helpers import count_confirmations, public_count, run_queued_tasks
from undersigned.audit.models import AuditAction, AuditLogEntry
from undersigned.signatures.models import Invalidation, InvalidationStatus, Signature

pytestmark = pytest.mark.django_db

BOT = "203.0.113.9"


def new_url(petition):
    return f"/staff/petitions/{petition.slug}/invalidations/new/"


def invalidate(client, petition, capture, **criteria):
    """Preview, then confirm with the previewed count, as a moderator's two clicks do."""
    preview = client.post(new_url(petition), {**criteria, "step": "preview"})
    assert preview.status_code == 200, preview.content
    count = preview.context["count"]
    with capture(execute=True):
        response = client.post(new_url(petition), {
            **criteria, "step": "confirm", "reason": "bot surge", "expected_count": count,
        })  # fmt: skip
    assert response.status_code == 303
    return count


def test_the_preview_count_equals_what_the_worker_invalidates_pending_ones_included(
    client, petition, moderator, django_capture_on_commit_callbacks
):
    confirmed = make_signatures(petition, 5, ip=BOT)
    pending = make_signatures(petition, 3, ip=BOT, confirmed=False)
    honest = make_signatures(petition, 4, ip="198.51.100.20")

    previewed = invalidate(client, petition, django_capture_on_commit_callbacks, address=BOT)
    assert DBTaskResult.objects.ready().count() == 1, "the view queues the work for the worker"
    assert Signature.objects.filter(invalidated_at__isnull=False).count() == 0
    assert run_queued_tasks() == 1

    batch = Invalidation.objects.get()
    assert previewed == batch.previewed_count == batch.invalidated_count == 8
    assert batch.status == InvalidationStatus.APPLIED
    gone = set(Signature.objects.filter(invalidation=batch).values_list("pk", flat=True))
    assert gone == set(confirmed + pending)
    assert not Signature.objects.filter(pk__in=honest, invalidated_at__isnull=False).exists()


def test_invalidating_takes_counted_ones_off_the_count_and_reverting_restores_it_exactly(
    client, petition, moderator, django_capture_on_commit_callbacks
):
    make_signatures(petition, 6, ip=BOT)
    make_signatures(petition, 4, ip="198.51.100.20")
    count_confirmations()
    # Confirmed after the last counting run: invalidated before the job reaches them.
    make_signatures(petition, 2, ip=BOT)
    before = public_count(petition)
    assert before == 10

    invalidate(client, petition, django_capture_on_commit_callbacks, address=BOT)
    run_queued_tasks()
    count_confirmations()  # the job passes over the invalidated, uncounted two
    assert public_count(petition) == 4

    batch = Invalidation.objects.get()
    response = client.post(f"/staff/petitions/{petition.slug}/invalidations/{batch.pk}/revert/")
    assert response.status_code == 303
    count_confirmations()
    assert public_count(petition) == before + 2  # the two late ones count now, as they would have
    batch.refresh_from_db()
    assert batch.status == InvalidationStatus.REVERTED and batch.reverted_by == moderator
    assert not Signature.objects.filter(invalidated_at__isnull=False).exists()


def test_reverting_restores_the_count_before_the_invalidation_exactly(
    client, petition, moderator, django_capture_on_commit_callbacks
):
    make_signatures(petition, 7, ip=BOT, country="FR")
    make_signatures(petition, 3, ip=BOT, confirmed=False)
    make_signatures(petition, 5, ip="198.51.100.20")
    count_confirmations()
    before = public_count(petition)

    invalidate(client, petition, django_capture_on_commit_callbacks, cidr="203.0.113.0/24")
    run_queued_tasks()
    assert public_count(petition) == before - 7
    client.post(
        f"/staff/petitions/{petition.slug}/invalidations/{Invalidation.objects.get().pk}/revert/"
    )
    assert public_count(petition) == before


def test_a_batch_is_reverted_once_and_a_second_revert_changes_nothing(
    client, petition, moderator, django_capture_on_commit_callbacks
):
    make_signatures(petition, 3, ip=BOT)
    count_confirmations()
    invalidate(client, petition, django_capture_on_commit_callbacks, address=BOT)
    run_queued_tasks()
    url = f"/staff/petitions/{petition.slug}/invalidations/{Invalidation.objects.get().pk}/revert/"
    client.post(url)
    client.post(url)
    assert public_count(petition) == 3
    assert AuditLogEntry.objects.filter(action=AuditAction.INVALIDATION_REVERTED).count() == 1


def test_a_worker_that_runs_the_task_twice_invalidates_once(
    client, petition, moderator, django_capture_on_commit_callbacks
):
    make_signatures(petition, 3, ip=BOT)
    count_confirmations()
    invalidate(client, petition, django_capture_on_commit_callbacks, address=BOT)
    from undersigned.signatures.invalidation import apply_invalidation

    run_queued_tasks()
    assert apply_invalidation(Invalidation.objects.get().pk) == 0
    assert public_count(petition) == 0


def test_a_confirmation_after_the_count_changed_shows_the_new_count_and_applies_nothing(
    client, petition, moderator
):
    make_signatures(petition, 2, domain="bots.example")
    data = {"email_domain": "bots.example", "reason": "bots", "expected_count": 2}
    make_signatures(petition, 1, domain="bots.example")  # arrives between preview and confirm
    response = client.post(new_url(petition), {**data, "step": "confirm"})
    assert response.status_code == 409
    assert response.context["count"] == 3
    assert not Invalidation.objects.exists()


def test_confirming_needs_a_reason(client, petition, moderator):
    make_signatures(petition, 2, domain="bots.example")
    data = {"email_domain": "bots.example", "expected_count": 2, "step": "confirm"}
    response = client.post(new_url(petition), data)
    assert response.status_code == 422
    assert "Give the reason for this invalidation." in response.content.decode()
    assert not Invalidation.objects.exists()


def test_the_audit_log_records_counts_and_no_personal_data(
    client, petition, moderator, django_capture_on_commit_callbacks
):
    make_signatures(petition, 4, ip=BOT, domain="bots.example")
    count_confirmations()
    invalidate(client, petition, django_capture_on_commit_callbacks, address=BOT)
    run_queued_tasks()
    entry = AuditLogEntry.objects.get(action=AuditAction.INVALIDATION)
    assert entry.row_count == 4 and entry.user_id == moderator.pk
    text = f"{entry.subject} {entry.detail}"
    assert BOT not in text and "bots.example" not in text and "Signer" not in text


def test_the_list_shows_each_batch_with_its_status(
    client, petition, moderator, django_capture_on_commit_callbacks
):
    make_signatures(petition, 2, domain="bots.example")
    invalidate(client, petition, django_capture_on_commit_callbacks, email_domain="bots.example")
    page = client.get(f"/staff/petitions/{petition.slug}/invalidations/").content.decode()
    assert "Queued" in page and "bots.example" in page and "Revert" not in page
    run_queued_tasks()
    page = client.get(f"/staff/petitions/{petition.slug}/invalidations/").content.decode()
    assert "Applied" in page and "Revert" in page
