"""Sending what "manage my data" requests are owed, from the worker.

Whether the address signed anything is looked up here, never on the request path: an address
with signatures gets a link, any other one a short "we hold no signatures for this address"
(so the mailbox's owner learns the truth and a stranger learns nothing). Rows are leased with
SKIP LOCKED and retried with backoff like every outbox (core/outbox.py). At
most EMAILS_PER_ADDRESS_PER_HOUR go to one address, so the form cannot flood a mailbox.
"""

from __future__ import annotations

import logging
import smtplib
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.urls import reverse
from django.utils import timezone

from undersigned.core import outbox, personal_data
from undersigned.notifications.services import compose_email
from undersigned.privacy.models import DataRequest
from undersigned.privacy.my_data import LINK_LIFETIME, new_link_key
from undersigned.signatures.models import Signature

logger = logging.getLogger(__name__)

BATCH_SIZE = 100
EMAILS_PER_ADDRESS_PER_HOUR = 3
DUE = "email_next_attempt_at"  # the outbox's due-time column (core/outbox.py)


def send_due_my_data_emails(time_budget_s: float = 20.0) -> int:
    """Send owed emails in batches until none are due or the time budget is spent."""
    return outbox.drain(_send_one_batch, BATCH_SIZE, time_budget_s)


def _send_one_batch() -> tuple[int, int]:
    owed = DataRequest.objects.filter(email_due=True)
    ids, lease_until = outbox.lease_due(
        owed, due_field=DUE, batch_size=BATCH_SIZE, now=timezone.now()
    )
    if not ids:
        return 0, 0
    ours = outbox.still_leased(DataRequest, ids, due_field=DUE, lease_until=lease_until)
    rows = list(ours)
    sent: list[int] = []
    failed: list[DataRequest] = []
    per_address: Counter[str] = Counter()  # this batch's, not yet marked sent
    try:
        with mailers.default as connection:
            for row in rows:
                message = _message_for(row, lease_until, per_address[row.email_normalised])
                if message is None:
                    continue
                try:
                    connection.send_messages([message])
                    sent.append(row.pk)
                    per_address[row.email_normalised] += 1
                except (smtplib.SMTPException, OSError):
                    failed.append(row)
    except (smtplib.SMTPException, OSError):
        failed = [row for row in rows if row.pk not in set(sent) and row.email_due]
    ours.filter(id__in=sent).update(
        email_due=False, email_next_attempt_at=None, email_sent_at=timezone.now()
    )
    for row in failed:
        outbox.back_off(
            outbox.still_leased(DataRequest, [row.pk], due_field=DUE, lease_until=lease_until),
            row.email_attempts + 1,
            due_field=DUE,
            attempts_field="email_attempts",
            failed_field="email_failed_at",
            give_up={"email_due": False},
        )
    if failed:
        logger.warning("my-data email delivery failed for %d request(s); will retry", len(failed))
    return len(sent), len(ids)


def _message_for(
    row: DataRequest, lease_until: datetime, sent_in_batch: int
) -> EmailMultiAlternatives | None:
    """The email this request is owed, or None when the address had enough this hour (the
    request is then dropped)."""
    now = timezone.now()
    recent = DataRequest.objects.filter(
        email_normalised=row.email_normalised, email_sent_at__gt=now - timedelta(hours=1)
    ).count()
    if recent + sent_in_batch >= EMAILS_PER_ADDRESS_PER_HOUR:
        DataRequest.objects.filter(pk=row.pk, email_next_attempt_at=lease_until).update(
            email_due=False, email_next_attempt_at=None
        )
        row.email_due = False
        return None
    context: dict[str, Any] = {"request_url": settings.SITE_URL + reverse("privacy_public:my_data")}
    normalised = row.email_normalised
    if not (
        Signature.objects.filter(email_normalised=normalised).exists()
        or personal_data.holds_anything(normalised)
    ):
        return compose_email("my_data_link_none", context, to=row.email, language=row.language)
    # A fresh key on every attempt: only its hash is stored, so a retry cannot re-use the last.
    token, key_hash = new_link_key()
    expires_at = now + LINK_LIFETIME
    DataRequest.objects.filter(pk=row.pk, email_next_attempt_at=lease_until).update(
        key_hash=key_hash, link_expires_at=expires_at
    )
    context |= {
        "link_url": settings.SITE_URL
        + reverse("privacy_public:my_data_link", kwargs={"token": token}),
        "expires_at": expires_at,
        "lifetime_minutes": int(LINK_LIFETIME.total_seconds() // 60),
    }
    return compose_email("my_data_link", context, to=row.email, language=row.language)
