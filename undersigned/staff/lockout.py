"""Staff sign-in lockout: django-axes, counting failures in three groups at once.

Within AXES_COOLOFF_TIME (an hour), sign-in is refused (429) once any group has seen its
limit of failures:

| group | limit | stops |
|---|---|---|
| one account from one address | AXES_FAILURE_LIMIT (5) | guessing one password |
| one account, any address | SIGN_IN_FAILURES_PER_ACCOUNT (10) | guessing it from many places |
| one address, any accounts | SIGN_IN_FAILURES_PER_ADDRESS (20) | password spraying |

django-axes checks several lockout parameter groups but with one limit for all; this handler
gives each group its own by scaling each group's failures to AXES_FAILURE_LIMIT (a group is
at the limit exactly when its failures reach its own limit). A successful sign-in clears
only that account's failures: clearing the address's too, as axes does, would let anyone
with one working account reset the spraying counter between rounds.
"""

from __future__ import annotations

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


def _limit_of(group: str | list[str]) -> int:
    names = {group} if isinstance(group, str) else set(group)
    if names == {"username"}:
        return settings.SIGN_IN_FAILURES_PER_ACCOUNT
    if names == {"ip_address"}:
        return settings.SIGN_IN_FAILURES_PER_ADDRESS
    return settings.AXES_FAILURE_LIMIT


class StaffSignInLockout(AxesDatabaseHandler):  # type: ignore[misc]
    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        """The worst group's failures, on the scale of AXES_FAILURE_LIMIT."""
        base = settings.AXES_FAILURE_LIMIT
        groups = get_lockout_parameters(request, credentials)
        worst = 0
        attempts_per_group = self.get_user_attempts(request, credentials)
        for group, attempts in zip(groups, attempts_per_group, strict=True):
            failures = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            worst = max(worst, failures * base // _limit_of(group))
        return worst

    def reset_user_attempts(self, request: HttpRequest, credentials: dict | None = None) -> int:
        """After a successful sign-in: forget this account's failures, and only those."""
        username = get_client_username(request, credentials)
        deleted: Any = AccessAttempt.objects.filter(username=username).delete()
        return int(deleted[0])
