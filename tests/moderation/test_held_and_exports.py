"""Held signatures wait uncounted until released; invalidated and held ones are not exported."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import make_organisation, make_signatures, make_staff
from tests.moderation.helpers import count_confirmations, public_count
from tests.privacy.helpers import streamed_body
from tests.sign_in import sign_in
from undersigned.audit.models import AuditAction, AuditLogEntry
from undersigned.campaigns.models import Role
from undersigned.signatures.models import HeldReason, Invalidation, Signature

pytestmark = pytest.mark.django_db


def held_url(petition):
    return f"/staff/petitions/{petition.slug}/held/"


def test_releasing_held_signatures_makes_the_confirmed_ones_count(client, petition, moderator):
    make_signatures(petition, 3, held_reason=HeldReason.NO_PROOF_OF_WORK)
    make_signatures(petition, 2, held_reason=HeldReason.NO_PROOF_OF_WORK, confirmed=False)
    make_signatures(petition, 4, held_reason=HeldReason.SUBNET_RATE)
    count_confirmations()
    assert public_count(petition) == 0

    preview = client.post(
        held_url(petition), {"reason": HeldReason.NO_PROOF_OF_WORK, "step": "preview"}
    )
    assert preview.context["count"] == 5
    response = client.post(held_url(petition), {
        "reason": HeldReason.NO_PROOF_OF_WORK, "step": "confirm", "expected_count": 5,
    })  # fmt: skip
    assert response.status_code == 303
    count_confirmations()
    assert public_count(petition) == 3  # the pending two count once confirmed
    assert Signature.objects.filter(held_reason=HeldReason.SUBNET_RATE).count() == 4
    entry = AuditLogEntry.objects.get(action=AuditAction.HELD_RELEASED)
    assert entry.row_count == 5 and entry.user_id == moderator.pk


def test_releasing_within_a_window_leaves_the_rest_held(client, petition, moderator):
    make_signatures(petition, 2, held_reason=HeldReason.DOMAIN_RATE)
    make_signatures(petition, 3, held_reason=HeldReason.DOMAIN_RATE,
                    created_at=timezone.now() - timedelta(days=1))  # fmt: skip
    since = (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    data = {"reason": "any", "created_from": since}
    client.post(held_url(petition), {**data, "step": "confirm", "expected_count": 2})
    assert Signature.objects.exclude(held_reason="").count() == 3


def test_a_release_whose_count_changed_releases_nothing(client, petition, moderator):
    make_signatures(petition, 2, held_reason=HeldReason.DOMAIN_RATE)
    response = client.post(held_url(petition), {
        "reason": HeldReason.DOMAIN_RATE, "step": "confirm", "expected_count": 1,
    })  # fmt: skip
    assert response.status_code == 409
    assert Signature.objects.filter(held_reason=HeldReason.DOMAIN_RATE).count() == 2


def test_held_signatures_can_be_invalidated_instead(
    client, petition, moderator, django_capture_on_commit_callbacks
):
    from tests.moderation.helpers import run_queued_tasks

    make_signatures(petition, 2, held_reason=HeldReason.ADDRESS_RATE)
    make_signatures(petition, 1)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/staff/petitions/{petition.slug}/invalidations/new/", {
            "held": HeldReason.ADDRESS_RATE, "step": "confirm", "reason": "bot",
            "expected_count": 2,
        })  # fmt: skip
    run_queued_tasks()
    assert Invalidation.objects.get().invalidated_count == 2
    assert Signature.objects.filter(invalidated_at__isnull=True).count() == 1


def test_the_csv_export_leaves_out_invalidated_and_held_signatures(client, petition):
    make_signatures(petition, 1, name="Honest Signer")
    make_signatures(petition, 1, name="Invalid Signer", invalidated_at=timezone.now())
    make_signatures(petition, 1, name="Held Signer", held_reason=HeldReason.SUBNET_RATE)
    sign_in(client, make_staff(petition.case.organisation, Role.DATA_OFFICER))
    response = client.get(f"/staff/petitions/{petition.slug}/export/signatures.csv")
    names = [row[0] for row in csv.reader(io.StringIO(streamed_body(response)))][1:]
    assert names == ["Honest Signer"]


def test_the_dashboard_shows_how_many_are_held(client, petition, moderator):
    make_signatures(petition, 3, held_reason=HeldReason.SUBNET_RATE)
    html = client.get(f"/staff/petitions/{petition.slug}/").content.decode()
    assert 'data-number="held">3<' in html


def test_a_member_of_another_organisation_cannot_revert_a_batch(client, petition):
    batch = Invalidation.objects.create(petition=petition, reason="x", status="applied")
    sign_in(client, make_staff(make_organisation(), Role.ADMIN))
    url = f"/staff/petitions/{petition.slug}/invalidations/{batch.pk}/revert/"
    assert client.post(url).status_code == 404
    sign_in(client, make_staff(petition.case.organisation, Role.EDITOR))
    assert client.post(url).status_code == 403
    batch.refresh_from_db()
    assert batch.status == "applied"
