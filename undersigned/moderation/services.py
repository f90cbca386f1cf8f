"""Moderators' writes that start here; the signature rows themselves are changed by
signatures/invalidation.py (in the worker, for a bulk invalidation)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from undersigned.audit.models import AuditAction
from undersigned.audit.services import record
from undersigned.moderation.tasks import invalidate_signatures
from undersigned.petitions.models import Petition
from undersigned.signatures.models import Invalidation


def queue_invalidation(
    petition: Petition,
    *,
    criteria: dict[str, Any],
    reason: str,
    previewed_count: int,
    acting_user: Any,
) -> Invalidation:
    """Record the batch as queued and hand it to the worker once the record is committed.

    A batch can touch a million rows: the request never waits for that.
    """
    person = acting_user if acting_user is not None and acting_user.is_authenticated else None
    batch = Invalidation.objects.create(
        petition=petition, criteria=criteria, reason=reason, previewed_count=previewed_count,
        created_by=person,
    )  # fmt: skip
    record(
        AuditAction.INVALIDATION_QUEUED, user=acting_user,
        organisation_id=petition.case.organisation_id, petition_id=petition.pk,
        subject=str(batch), row_count=previewed_count, detail=reason[:500],
    )  # fmt: skip
    transaction.on_commit(lambda: invalidate_signatures.enqueue(batch.pk))
    return batch
