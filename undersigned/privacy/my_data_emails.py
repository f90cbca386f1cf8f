"""Sending what "manage my data" requests are owed, from the worker.

Whether the address signed anything is looked up here, never on the request path: an address
with signatures gets a link, any other one a short "we hold no signatures for this address"
(so the mailbox's owner learns the truth and a stranger learns nothing). Rows are leased with
SKIP LOCKED and retried with backoff like the signature outbox (signatures/emails.py). At
most EMAILS_PER_ADDRESS_PER_HOUR go to one address, so the form cannot flood a mailbox.
"""

from __future__ import annotations

import logging
import smtplib
import time
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from undersigned.core import personal_data
from undersigned.notifications.services import compose_email
from undersigned.privacy.models import DataRequest
from undersigned.privacy.my_data import LINK_LIFETIME, new_link_key
from undersigned.signatures.emails import MAX_ATTEMPTS, retry_delay
from undersigned.signatures.models import Signature

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
BATCH_SIZE = 100
EMAILS_PER_ADDRESS_PER_HOUR = 3


def send_due_my_data_emails(time_budget_s: float = 20.0) -> int:
    """Send owed emails in batches until none are due or the time budget is spent."""
    started = time.monotonic()
    sent_total = 0
    while time.monotonic() - started < time_budget_s:
        sent, leased = _send_one_batch()
        sent_total += sent
        if leased < BATCH_SIZE:
            break
    return sent_total


def _lease_batch(now: datetime) -> tuple[list[int], datetime]:
    lease_until = now + LEASE
    with transaction.atomic():
        ids = list(
            DataRequest.objects.filter(email_due=True, email_next_attempt_at__lte=now)
            .order_by("email_next_attempt_at")
            .select_for_update(skip_locked=True)
            .values_list("id", flat=True)[:BATCH_SIZE]
        )
        if ids:
            DataRequest.objects.filter(id__in=ids).update(email_next_attempt_at=lease_until)
    return ids, lease_until


def _send_one_batch() -> tuple[int, int]:
    now = timezone.now()
    ids, lease_until = _lease_batch(now)
    if not ids:
        return 0, 0
    rows = list(DataRequest.objects.filter(id__in=ids, email_next_attempt_at=lease_until))
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
    DataRequest.objects.filter(id__in=sent, email_next_attempt_at=lease_until).update(
        email_due=False, email_next_attempt_at=None, email_sent_at=timezone.now()
    )
    _back_off(failed, lease_until)
    if failed:
        logger.warning("my-data email delivery failed for %d request(s); will retry", len(failed))
    return len(sent), len(ids)


def _back_off(failed: list[DataRequest], lease_until: datetime) -> None:
    now = timezone.now()
    for row in failed:
        still_ours = DataRequest.objects.filter(pk=row.pk, email_next_attempt_at=lease_until)
        if row.email_attempts + 1 >= MAX_ATTEMPTS:
            still_ours.update(
                email_attempts=F("email_attempts") + 1, email_due=False,
                email_next_attempt_at=None, email_failed_at=now,
            )  # fmt: skip
        else:
            still_ours.update(
                email_attempts=F("email_attempts") + 1,
                email_next_attempt_at=now + retry_delay(row.email_attempts + 1),
            )


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
