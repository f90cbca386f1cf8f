"""Reminders for people who sign again: the worker's half of signing with a known address.

Signing with an address that already signed the petition only stamps the row's
`reminder_requested_at` — the same single statement a new signature runs (services.py), so
the sign request costs the same either way. Here, in the worker, each stamped row is owed
its email: the confirmation link again while pending, "you have already signed" once
confirmed. No more than the "confirmation_resends" limit (core/ratelimit.py) an hour per
signature; beyond that (and for an invalidated signature) the request is dropped and nothing
is sent. Several requests before the
worker's next round become one reminder.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from undersigned.core import ratelimit
from undersigned.petitions.models import Petition
from undersigned.petitions.selectors import confirmation_deadline
from undersigned.signatures.models import EmailDue, Signature
from undersigned.signatures.querysets import SignatureQuerySet


def owe_requested_reminders(now: datetime | None = None) -> int:
    """Turn every reminder asked for into an owed email (or drop it); how many are owed."""
    now = now or timezone.now()
    asked = Signature.objects.filter(reminder_requested_at__lte=now)
    owed = 0
    petition_ids = set(asked.values_list("petition_id", flat=True).distinct())
    for petition in Petition.objects.filter(pk__in=petition_ids):
        owed += _owe_reminders(asked.filter(petition=petition), petition, now)
    # What is left was over the limit or invalidated: nothing is sent. A request stamped
    # after `now` (a newer one, in between) is kept for the next round.
    asked.update(reminder_requested_at=None)
    return owed


def _owe_reminders(rows: SignatureQuerySet, petition: Petition, now: datetime) -> int:
    """Pending: send the link again. Confirmed: send "you have already signed". One UPDATE
    within the hourly limit, so concurrent rounds cannot overshoot it."""
    limit, seconds = ratelimit.limit("confirmation_resends")
    window_start = now - timedelta(seconds=seconds)
    in_window = Q(resend_window_started_at__gt=window_start)
    lifetime = timedelta(days=settings.CONFIRMATION_TOKEN_DAYS)
    return (
        rows.valid()
        .filter(~in_window | Q(resends_in_window__lt=limit))
        .update(
            reminder_requested_at=None,
            email_due=Case(
                When(confirmed_at__isnull=True, then=Value(EmailDue.CONFIRMATION)),
                default=Value(EmailDue.ALREADY_SIGNED),
            ),
            email_next_attempt_at=now,
            email_attempts=0,
            email_failed_at=None,
            confirmation_expires_at=Case(
                When(
                    confirmed_at__isnull=True,
                    then=Value(confirmation_deadline(petition, now, lifetime)),
                ),
                default=F("confirmation_expires_at"),
            ),
            resends_in_window=Case(
                When(in_window, then=F("resends_in_window") + 1), default=Value(1)
            ),
            resend_window_started_at=Case(
                When(in_window, then=F("resend_window_started_at")), default=Value(now)
            ),
        )
    )
