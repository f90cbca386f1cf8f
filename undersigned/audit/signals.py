"""Staff sign-ins, recorded from Django's own authentication signals.

Every account on this platform belongs to staff or to the operator: signers never have one.
So "an existing account" is "a staff account", and a failed sign-in for one is recorded under
that account — its organisations' admins see attempts on their members. A failed sign-in whose
username matches no account is recorded without the typed text: people type a password or
somebody's email address into the username field, and neither may be written down.
The password never reaches us (Django hands receivers the credentials with it masked) and is
never read here anyway.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from undersigned.audit.models import AuditAction
from undersigned.audit.services import record


@receiver(user_logged_in, dispatch_uid="audit_staff_sign_in")
def record_sign_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record(AuditAction.SIGN_IN, user=user)


@receiver(user_login_failed, dispatch_uid="audit_staff_sign_in_failed")
def record_failed_sign_in(sender: Any, credentials: dict, request: Any = None, **kw: Any) -> None:
    model = get_user_model()
    typed = credentials.get(model.USERNAME_FIELD) or credentials.get("username")
    account = None
    if isinstance(typed, str) and typed:
        account = model._default_manager.filter(**{model.USERNAME_FIELD: typed}).first()
    if account is None:
        record(AuditAction.SIGN_IN_FAILED, detail="unknown username")
        return
    if second_factor := credentials.get("second_factor"):
        # Sent by staff/two_factor.py: the password was right, the second factor was not.
        record(AuditAction.SECOND_FACTOR_FAILED, user=account, detail=str(second_factor))
        return
    # "Who" is the account someone tried to enter, not a person who proved to be its owner.
    record(AuditAction.SIGN_IN_FAILED, user=account)
