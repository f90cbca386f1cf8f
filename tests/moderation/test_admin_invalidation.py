"""The Django admin's "invalidate the selected signatures" goes the moderators' way: a
confirmation page first, then a queued Invalidation the worker applies — on the audit log and
reversible like any other."""

from __future__ import annotations

import pytest

from tests.factories import make_signatures, make_staff
from tests.moderation.helpers import count_confirmations, public_count
from tests.sign_in import sign_in
from undersigned.audit.models import AuditAction, AuditLogEntry
from undersigned.campaigns.models import Role
from undersigned.signatures.invalidation import apply_invalidation
from undersigned.signatures.models import Invalidation, InvalidationStatus, Signature

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/signatures/signature/"


def test_a_data_officer_invalidates_chosen_signatures_after_a_preview_and_can_revert(
    client, petition
):
    make_signatures(petition, 4)
    count_confirmations()
    dora = make_staff(petition.case.organisation, Role.DATA_OFFICER, username="dora")
    sign_in(client, dora)
    chosen = list(Signature.objects.values_list("pk", flat=True)[:3])
    data = {"action": "invalidate", "_selected_action": chosen}

    preview = client.post(CHANGELIST, data)
    assert "3 valid signatures will be invalidated" in preview.content.decode()
    assert not Invalidation.objects.exists()

    done = client.post(CHANGELIST, {**data, "post": "yes", "reason": "bots", "expected_count": 3})
    assert done.status_code == 302
    batch = Invalidation.objects.get()
    assert (batch.previewed_count, batch.reason, batch.created_by_id) == (3, "bots", dora.pk)
    apply_invalidation(batch.pk)  # what the worker does
    assert public_count(petition) == 1
    assert set(Signature.objects.filter(invalidation=batch).values_list("pk", flat=True)) == set(
        chosen
    )
    actions = set(AuditLogEntry.objects.values_list("action", flat=True))
    assert {AuditAction.INVALIDATION_QUEUED, AuditAction.INVALIDATION} <= actions

    revert = f"/staff/petitions/{petition.slug}/invalidations/{batch.pk}/revert/"
    moderator = make_staff(petition.case.organisation, Role.MODERATOR)
    sign_in(client, moderator)
    client.post(revert)
    batch.refresh_from_db()
    assert batch.status == InvalidationStatus.REVERTED
    assert public_count(petition) == 4


def test_a_changed_number_is_shown_again_instead_of_invalidated(client, petition):
    make_signatures(petition, 2)
    sign_in(client, make_staff(petition.case.organisation, Role.DATA_OFFICER))
    chosen = list(Signature.objects.values_list("pk", flat=True))
    response = client.post(CHANGELIST, {
        "action": "invalidate", "_selected_action": chosen, "post": "yes", "reason": "bots",
        "expected_count": 5,
    })  # fmt: skip
    assert "check it again" in response.content.decode()
    assert not Invalidation.objects.exists()
