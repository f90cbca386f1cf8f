"""The "manage my data" outbox: each request is owed a link, or a "we hold nothing" note.

Whether the address signed anything is looked up here, never on the request path: an address
with signatures gets a link, any other one a short "we hold no signatures for this address"
(so the mailbox's owner learns the truth and a stranger learns nothing). No more than the
"my_data_emails" limit (core/ratelimit.py) go to one address an hour, so the form cannot
flood a mailbox; a request beyond that is dropped. Leasing, sending, backing off: core/outbox.py.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from django.core.mail import EmailMultiAlternatives
from django.db.models import QuerySet
from django.utils import timezone

from undersigned.core import outbox, ratelimit
from undersigned.core.site import absolute_url
from undersigned.notifications.services import compose_email
from undersigned.privacy.models import DataRequest
from undersigned.privacy.my_data.services import LINK_LIFETIME, holds_data_of, new_link_key


class MyDataEmails(outbox.Outbox):
    name = "my-data emails"
    key = "my_data"
    model = DataRequest
    sent_values = {"email_due": False}
    give_up_values = {"email_due": False}

    def owed(self) -> QuerySet[DataRequest]:
        return DataRequest.objects.filter(email_due=True)

    def begin_batch(self) -> None:
        self.built: Counter[str] = Counter()  # per address: this batch's, not yet marked sent

    def message_for(self, row: DataRequest, lease_until: datetime) -> EmailMultiAlternatives | None:
        message = _message_for(row, lease_until, self.built[row.email_normalised])
        if message is not None:
            self.built[row.email_normalised] += 1
        return message


def send_due_my_data_emails(time_budget_s: float = 20.0) -> int:
    return MyDataEmails().send_due(time_budget_s)


def _message_for(
    row: DataRequest, lease_until: datetime, in_batch: int
) -> EmailMultiAlternatives | None:
    """The email this request is owed, or None when the address had enough this hour (the
    request is then dropped); `in_batch` emails to it are on their way in this batch."""
    now = timezone.now()
    ours = DataRequest.objects.filter(pk=row.pk, email_next_attempt_at=lease_until)
    at_most, seconds = ratelimit.limit("my_data_emails")
    recent = DataRequest.objects.filter(
        email_normalised=row.email_normalised, email_sent_at__gt=now - timedelta(seconds=seconds)
    ).count()
    if recent + in_batch >= at_most:
        ours.update(email_due=False, email_next_attempt_at=None)
        return None
    context: dict[str, Any] = {"request_url": absolute_url("privacy_public:my_data")}
    if not holds_data_of(row.email):
        return compose_email("my_data_link_none", context, to=row.email, language=row.language)
    # A fresh key on every attempt: only its hash is stored, so a retry cannot re-use the last.
    token, key_hash = new_link_key()
    expires_at = now + LINK_LIFETIME
    ours.update(key_hash=key_hash, link_expires_at=expires_at)
    context |= {
        "link_url": absolute_url("privacy_public:my_data_link", token=token),
        "expires_at": expires_at,
        "lifetime_minutes": int(LINK_LIFETIME.total_seconds() // 60),
    }
    return compose_email("my_data_link", context, to=row.email, language=row.language)
