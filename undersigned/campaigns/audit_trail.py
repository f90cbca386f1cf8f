"""Role changes and settings changes on the audit log.

Roles: every create, change or removal of a Membership — through the admin, a service, a
management command — is caught by model signals. Who made it is known when the code that
made it said so (`audit.context.acting_as`, which the admin does for every request that
writes); otherwise the entry names nobody. (A QuerySet.update() of roles would bypass the
signals; nothing in the code base does one.)

Settings: the scoped admin (admin_scope.py) calls `record_settings_change` from its log hooks,
with the names of the changed fields and never their values.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from undersigned.audit.context import current_actor
from undersigned.audit.models import AuditAction
from undersigned.audit.services import record
from undersigned.campaigns.models import Membership


def _member(membership: Membership) -> str:
    try:
        return f"member {membership.user.get_username()}"
    except ObjectDoesNotExist:  # the account is being deleted
        return f"member #{membership.user_id}"


@receiver(pre_save, sender=Membership, dispatch_uid="audit_role_before")
def _remember_the_role_before(sender: Any, instance: Membership, **kwargs: Any) -> None:
    before = None
    if not instance._state.adding and instance.pk is not None:
        before = Membership.objects.filter(pk=instance.pk).values("role", "organisation_id").first()
    instance._audit_before = before  # type: ignore[attr-defined]


@receiver(post_save, sender=Membership, dispatch_uid="audit_role_saved")
def record_role_saved(sender: Any, instance: Membership, created: bool, **kwargs: Any) -> None:
    before = getattr(instance, "_audit_before", None)
    if created or before is None:
        _record_role(instance, instance.organisation_id, f"role granted: {instance.role}")
    elif before["organisation_id"] != instance.organisation_id:
        # Moved: each organisation's admins see their side of it.
        _record_role(instance, before["organisation_id"], f"role removed: {before['role']}")
        _record_role(instance, instance.organisation_id, f"role granted: {instance.role}")
    elif before["role"] != instance.role:
        _record_role(
            instance, instance.organisation_id, f"role: {before['role']} → {instance.role}"
        )


@receiver(post_delete, sender=Membership, dispatch_uid="audit_role_removed")
def record_role_removed(sender: Any, instance: Membership, **kwargs: Any) -> None:
    _record_role(instance, instance.organisation_id, f"role removed: {instance.role}")


def _record_role(membership: Membership, organisation_id: int, detail: str) -> None:
    record(
        AuditAction.ROLE_CHANGED,
        user=current_actor(),
        organisation_id=organisation_id,
        subject=_member(membership),
        detail=detail,
    )


def describe_change(message: Any) -> str:
    """The admin's change message (a list of {"added"|"changed"|"deleted": {...}}, stored with
    untranslated field labels) as field and inline names only — the objects' texts dropped."""
    if not isinstance(message, list):
        return ""
    parts = []
    for item in message:
        for verb, about in item.items():
            fields = ", ".join(str(field) for field in about.get("fields", []))
            if "name" in about:
                parts.append(f"{about['name']} {verb}" + (f" ({fields})" if fields else ""))
            elif verb == "changed":
                parts.append(f"fields: {fields}")
            else:
                parts.append(verb)
    return "; ".join(parts)


def record_settings_change(
    user: Any,
    obj: Model,
    *,
    organisation_id: int,
    petition_id: int | None,
    detail: str,
    action: AuditAction = AuditAction.SETTINGS_CHANGED,
) -> None:
    record(
        action,
        user=user,
        organisation_id=organisation_id,
        petition_id=petition_id,
        subject=f"{obj._meta.verbose_name} #{obj.pk}: {obj}",
        detail=detail,
    )
