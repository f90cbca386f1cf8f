"""Exports on the audit log: two entries each, one when it starts and one when it ends.

Entries are only ever appended (audit.models): the end of an export is a second entry, not an
update of the first, so an export whose end never came — the server stopped, the client never
read the stream — is an entry without a partner.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from undersigned.audit.models import AuditAction, AuditLogEntry
from undersigned.audit.services import record
from undersigned.petitions.models import Petition

User = AbstractBaseUser | AnonymousUser

EXPORT_KINDS = (
    AuditAction.SIGNATURES_CSV,
    AuditAction.SIGNATURES_CSV_WITH_EMAIL,
    AuditAction.AGGREGATE_CSV,
    AuditAction.DELIVERY_PDF,
    AuditAction.DELIVERY_PDF_WITH_NAMES,
)


def record_export_started(user: User, petition: Petition, kind: AuditAction) -> AuditLogEntry:
    """Who starts exporting what of which petition; written before the first row leaves."""
    if kind not in EXPORT_KINDS:
        raise ValueError(f"{kind} is not an export")
    return record(
        kind,
        user=user,
        organisation_id=petition.case.organisation_id,
        petition_id=petition.pk,
        subject=petition.title,
    )


def record_export_ended(
    started: AuditLogEntry, user: User, *, row_count: int, completed: bool
) -> AuditLogEntry:
    """The rows that left the server, and whether the last one did."""
    return record(
        AuditAction.EXPORT_FINISHED if completed else AuditAction.EXPORT_CUT_OFF,
        user=user,
        organisation_id=started.organisation_id,
        petition_id=started.petition_id,
        subject=started.subject,
        row_count=row_count,
        detail=f"export started as entry #{started.pk}",
    )
