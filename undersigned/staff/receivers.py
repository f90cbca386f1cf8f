"""What happens around a staff sign-in, sign-out and password change, whatever path made it
(the staff sign-in page, the admin's, a password change in the admin or a command)."""

from __future__ import annotations

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from undersigned.audit.context import current_actor
from undersigned.audit.models import AuditAction
from undersigned.audit.services import record
from undersigned.campaigns.permissions import requires_two_factor
from undersigned.staff import sessions
from undersigned.staff.two_factor import has_second_factor

User = get_user_model()


@receiver(user_logged_in, dispatch_uid="staff_session_started")
def session_started(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    sessions.started(request, user)
    if not has_second_factor(user) and not requires_two_factor(user):
        # The password was all this sign-in needs: it is complete, so its failures are
        # forgotten (with a second factor, that happens once the factor is passed).
        AxesProxyHandler.get_implementation().reset_user_attempts(  # type: ignore[attr-defined]
            request, {"username": user.get_username()}
        )


@receiver(user_logged_out, dispatch_uid="staff_session_ended")
def session_ended(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        sessions.ended(request)
    if user is not None:
        record(AuditAction.SIGN_OUT, user=user)


@receiver(pre_save, sender=User, dispatch_uid="staff_password_before")
def _remember_the_password(sender: Any, instance: Any, **kwargs: Any) -> None:
    before: str | None = None
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and "password" not in update_fields:
        pass  # e.g. the last_login of every sign-in: the password is not being written
    elif instance.pk is not None and not instance._state.adding:
        stored = User._default_manager.filter(pk=instance.pk).values_list("password", flat=True)
        before = stored.first()
    instance._password_before = before


@receiver(post_save, sender=User, dispatch_uid="staff_password_changed")
def password_changed(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """A new password ends the account's other sessions: a thief's stolen session included."""
    before = getattr(instance, "_password_before", None)
    if created or before is None or before == instance.password:
        return
    ended = sessions.end_other_sessions(instance)
    actor = current_actor() or instance
    record(
        AuditAction.PASSWORD_CHANGED, user=actor, subject=f"member {instance.get_username()}",
        detail=f"{ended} other session(s) ended",
    )  # fmt: skip
