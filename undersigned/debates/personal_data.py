"""A contributor's data in debates: their download, their erasure, and retention.

Registered with core.personal_data in apps.py, so "manage my data" (privacy) reaches
contributions without importing this app. Arguments are found by the normalised address and
matched on exactly that address (core/personal_data.py says why).

A contributor's name is never shown on the page. Erasure and retention (docs/debates.md):
a published argument keeps its text — it became part of a public debate that others voted
on and answered — and loses its writer's name and address; any other contribution is
deleted. Unconfirmed contributions go once their link expired; decided ones lose their
writer's name and address DEBATE_CONTRIBUTOR_DAYS after the decision (rejected ones are
then deleted).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from undersigned.audit.models import AuditAction
from undersigned.audit.services import record
from undersigned.debates.models import Argument, ContributionEmail
from undersigned.debates.states import ArgumentState
from undersigned.signatures.normalise import normalise_email, stored_under

BATCH_SIZE = 1_000


def _written_by(address: str) -> QuerySet[Argument]:
    rows = Argument.objects.filter(author_email_normalised=normalise_email(address))
    return stored_under(rows, address, "author_email")


def export_personal_data(address: str) -> dict[str, Any]:
    """The arguments this address submitted; {} when none. No keys, nobody else's data."""
    rows = _written_by(address).select_related("debate").order_by("id")
    arguments = [
        {
            "debate": row.debate.question,
            "side": row.side,
            "claim": row.claim,
            "explanation": row.explanation,
            "your_name": row.author_name,
            "your_email": row.author_email,
            "state": row.state,
            "rejection_reason": row.rejection_reason or None,
            "submitted_at": row.created_at.isoformat(),
            "published_at": row.published_at.isoformat() if row.published_at else None,
        }
        for row in rows
    ]
    return {"arguments": arguments} if arguments else {}


def _forget_writer(ids: list[int]) -> int:
    ContributionEmail.objects.filter(argument_id__in=ids).delete()
    return Argument.objects.filter(id__in=ids).update(
        author_name="", author_email="", author_email_normalised="", confirmation_key=None,
        updated_at=timezone.now(),
    )  # fmt: skip


def erase_personal_data(address: str) -> int:
    """Erase this address from debates; returns the arguments changed or deleted."""
    with transaction.atomic():
        rows = list(_written_by(address).select_for_update().values_list("id", "state"))
        published = [pk for pk, state in rows if state == ArgumentState.PUBLISHED]
        others = [pk for pk, state in rows if state != ArgumentState.PUBLISHED]
        changed = _forget_writer(published)
        if others:
            Argument.objects.filter(id__in=others).delete()
            changed += len(others)
    return changed


def apply_retention(now: datetime | None = None) -> dict[str, int]:
    """Delete expired unconfirmed contributions; anonymise (or delete) long-decided ones."""
    now = now or timezone.now()
    decided_before = now - timedelta(days=settings.DEBATE_CONTRIBUTOR_DAYS)
    done = {"contributions_deleted": 0, "contributions_anonymised": 0}
    with transaction.atomic():
        expired = list(
            Argument.objects.select_for_update(skip_locked=True)
            .filter(state=ArgumentState.SUBMITTED, confirmation_expires_at__lt=now)
            .values_list("id", flat=True)[:BATCH_SIZE]
        )
        rejected = list(
            Argument.objects.select_for_update(skip_locked=True)
            .filter(state=ArgumentState.REJECTED, decided_at__lt=decided_before)
            .exclude(author_email="")
            .values_list("id", flat=True)[:BATCH_SIZE]
        )
        if expired or rejected:
            done["contributions_deleted"] = (
                Argument.objects.filter(
                    Q(id__in=expired, state=ArgumentState.SUBMITTED) | Q(id__in=rejected)
                )
                .delete()[1]
                .get(Argument._meta.label, 0)
            )
        published = list(
            Argument.objects.select_for_update(skip_locked=True)
            .filter(state=ArgumentState.PUBLISHED, decided_at__lt=decided_before)
            .exclude(author_email="")
            .values_list("id", flat=True)[:BATCH_SIZE]
        )
        done["contributions_anonymised"] = _forget_writer(published) if published else 0
    if any(done.values()):
        record(
            AuditAction.RETENTION_RUN, subject="debate contributions",
            row_count=sum(done.values()),
            detail=", ".join(f"{key.replace('_', ' ')} {n}" for key, n in done.items()),
        )  # fmt: skip
    return done
