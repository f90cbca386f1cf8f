"""Writing the audit log. Every export calls `record_export`; nothing else writes entries."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from undersigned.petitions.models import Petition
from undersigned.privacy.models import AuditLogEntry, ExportKind


def record_export(
    user: AbstractBaseUser | AnonymousUser,
    petition: Petition,
    kind: ExportKind,
    *,
    row_count: int = 0,
    completed: bool = True,
) -> AuditLogEntry:
    """Write who exported what of which petition, and how many rows.

    A streamed export calls this before its first row with `completed=False`, then
    `finish_export` when the stream ends, so a download cut short is on record too.
    """
    return AuditLogEntry.objects.create(
        user_id=user.pk if user.is_authenticated else None,
        username=user.get_username() if user.is_authenticated else "",
        organisation_id=petition.case.organisation_id,
        petition=petition,
        action=kind,
        row_count=row_count,
        completed=completed,
    )


def finish_export(entry: AuditLogEntry, *, row_count: int, completed: bool) -> None:
    """The rows that left the server, and whether the last one did."""
    AuditLogEntry.objects.filter(pk=entry.pk).update(row_count=row_count, completed=completed)
    entry.row_count, entry.completed = row_count, completed
