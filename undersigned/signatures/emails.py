"""Sending what the signature outbox owes: confirmation links and "already signed" notices.

At-least-once delivery: rows are leased before sending (so two workers never send the same
row at once), and only rows still holding our lease are marked sent. An SMTP failure puts the
row back with exponential backoff; after MAX_ATTEMPTS it is flagged for staff, never dropped.
"""

from __future__ import annotations

import logging
import smtplib
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from undersigned.notifications.services import compose_email
from undersigned.signatures.models import EmailDue, Signature
from undersigned.signatures.tokens import token_for_key

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 8
BATCH_SIZE = 200


def retry_delay(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min … capped at 1 hour: eight attempts span about two hours."""
    return timedelta(seconds=min(3600, 30 * 2 ** max(0, attempts - 1)))


def send_due_emails(time_budget_s: float = 30.0) -> int:
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
            Signature.objects.filter(~Q(email_due=EmailDue.NONE), email_next_attempt_at__lte=now)
            .order_by("email_next_attempt_at")
            .select_for_update(skip_locked=True)
            .values_list("id", flat=True)[:BATCH_SIZE]
        )
        if ids:
            Signature.objects.filter(id__in=ids).update(email_next_attempt_at=lease_until)
    return ids, lease_until


def _send_one_batch() -> tuple[int, int]:
    now = timezone.now()
    ids, lease_until = _lease_batch(now)
    if not ids:
        return 0, 0
    rows = list(
        Signature.objects.filter(id__in=ids, email_next_attempt_at=lease_until).select_related(
            "petition"
        )
    )
    sent: list[int] = []
    failed: list[Signature] = []
    try:
        with mailers.default as connection:
            for row in rows:
                try:
                    connection.send_messages([_message_for(row)])
                    sent.append(row.pk)
                except (smtplib.SMTPException, OSError):
                    failed.append(row)
    except (smtplib.SMTPException, OSError):
        # Could not even connect: everything not yet sent waits for the next attempt.
        failed = [row for row in rows if row.pk not in set(sent)]
    Signature.objects.filter(id__in=sent, email_next_attempt_at=lease_until).update(
        email_due=EmailDue.NONE,
        email_next_attempt_at=None,
        email_sent_at=timezone.now(),
        email_attempts=0,
    )
    _back_off(failed, lease_until)
    if failed:
        logger.warning("email delivery failed for %d signature(s); will retry", len(failed))
    return len(sent), len(ids)


def _back_off(failed: list[Signature], lease_until: datetime) -> None:
    now = timezone.now()
    by_attempts: dict[int, list[int]] = {}
    for row in failed:
        by_attempts.setdefault(row.email_attempts + 1, []).append(row.pk)
    for attempts, ids in by_attempts.items():
        still_ours = Signature.objects.filter(id__in=ids, email_next_attempt_at=lease_until)
        if attempts >= MAX_ATTEMPTS:
            still_ours.update(
                email_attempts=F("email_attempts") + 1, email_next_attempt_at=None,
                email_failed_at=now,
            )  # fmt: skip
        else:
            still_ours.update(
                email_attempts=F("email_attempts") + 1,
                email_next_attempt_at=now + retry_delay(attempts),
            )


def _message_for(signature: Signature) -> EmailMultiAlternatives:
    petition = signature.petition
    petition_url = settings.SITE_URL + reverse(
        "signatures:petition", kwargs={"slug": petition.slug}
    )
    context = {
        "name": signature.name,
        "petition": petition,  # its translated fields resolve in the signer's language
        "petition_url": petition_url,
        "confirm_url": settings.SITE_URL
        + reverse(
            "signatures:confirm", kwargs={"token": token_for_key(signature.confirmation_key)}
        ),
        "expires_at": signature.confirmation_expires_at,
    }
    template = (
        "confirm_signature" if signature.email_due == EmailDue.CONFIRMATION else "already_signed"
    )
    return compose_email(template, context, to=signature.email, language=signature.language)
