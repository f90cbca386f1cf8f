"""Writing the audit log. Every app records through `record`; nothing edits an entry."""

from __future__ import annotations

from typing import Any

from undersigned.audit.models import AuditAction, AuditLogEntry


def record(
    action: AuditAction,
    *,
    user: Any = None,
    organisation_id: int | None = None,
    petition_id: int | None = None,
    subject: str = "",
    row_count: int = 0,
    detail: str = "",
    actor: str = "",
) -> AuditLogEntry:
    """Append one entry. `user` is a staff account or None (a signer, a scheduled task);
    `actor` names who acted when no account did (an API key: "API key <name>").

    Never pass a signer's name, email or address in `subject` or `detail`.
    """
    authenticated = user is not None and user.is_authenticated
    return AuditLogEntry.objects.create(
        action=action,
        user_id=user.pk if authenticated else None,
        username=user.get_username() if authenticated else actor[:150],
        organisation_id=organisation_id,
        petition_id=petition_id,
        subject=subject[:200],
        row_count=row_count,
        detail=detail[:500],
    )
