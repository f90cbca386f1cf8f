"""Sending what the signature outbox owes: confirmation links and "already signed" notices.

At-least-once delivery: rows are leased before sending (so two workers never send the same
row at once), and only rows still holding our lease are marked sent. An SMTP failure puts the
row back with exponential backoff; after outbox.MAX_ATTEMPTS it is flagged for staff, never
dropped. The leasing is core/outbox.py's, shared with the other outboxes.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from undersigned.core import outbox
from undersigned.notifications.services import compose_email
from undersigned.signatures.models import EmailDue, Signature
from undersigned.signatures.tokens import token_for_key

logger = logging.getLogger(__name__)

BATCH_SIZE = 200
DUE = "email_next_attempt_at"  # the outbox's due-time column (core/outbox.py)


def send_due_emails(time_budget_s: float = 30.0) -> int:
    """Send owed emails in batches until none are due or the time budget is spent."""
    return outbox.drain(_send_one_batch, BATCH_SIZE, time_budget_s)


def _send_one_batch() -> tuple[int, int]:
    owed = Signature.objects.filter(~Q(email_due=EmailDue.NONE))
    ids, lease_until = outbox.lease_due(
        owed, due_field=DUE, batch_size=BATCH_SIZE, now=timezone.now()
    )
    if not ids:
        return 0, 0
    ours = outbox.still_leased(Signature, ids, due_field=DUE, lease_until=lease_until)
    rows = list(ours.select_related("petition"))
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
    ours.filter(id__in=sent).update(
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
    by_attempts: dict[int, list[int]] = {}
    for row in failed:
        by_attempts.setdefault(row.email_attempts + 1, []).append(row.pk)
    for attempts, ids in by_attempts.items():
        outbox.back_off(
            outbox.still_leased(Signature, ids, due_field=DUE, lease_until=lease_until),
            attempts,
            due_field=DUE,
            attempts_field="email_attempts",
            failed_field="email_failed_at",
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
