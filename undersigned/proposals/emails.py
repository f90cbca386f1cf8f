"""Sending the emails public petitions owe: confirmation links and news for the creator.

As signatures/emails.py: rows are leased with SKIP LOCKED (two workers never send one row),
only rows still holding the lease are marked sent, and a failure backs off and retries; after
MAX_ATTEMPTS a row is marked failed, never silently dropped.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from undersigned.notifications.services import compose_email
from undersigned.proposals import tokens
from undersigned.proposals.models import EmailKind, ProposalEmail
from undersigned.proposals.selectors import required_sponsors

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 8
BATCH_SIZE = 100


def retry_delay(attempts: int) -> timedelta:
    return timedelta(seconds=min(3600, 30 * 2 ** max(0, attempts - 1)))


def send_due_proposal_emails() -> int:
    now = timezone.now()
    lease_until = now + LEASE
    with transaction.atomic():
        ids = list(
            ProposalEmail.objects.filter(next_attempt_at__lte=now)
            .order_by("next_attempt_at")
            .select_for_update(skip_locked=True)
            .values_list("id", flat=True)[:BATCH_SIZE]
        )
        if not ids:
            return 0
        ProposalEmail.objects.filter(id__in=ids).update(next_attempt_at=lease_until)
    rows = ProposalEmail.objects.filter(id__in=ids, next_attempt_at=lease_until).select_related(
        "proposal", "proposal__petition", "sponsor"
    )
    sent = 0
    try:
        with mailers.default as connection:
            for row in rows:
                try:
                    connection.send_messages([message_for(row)])
                except (smtplib.SMTPException, OSError):
                    _back_off(row, lease_until)
                    continue
                sent += ProposalEmail.objects.filter(pk=row.pk, next_attempt_at=lease_until).update(
                    next_attempt_at=None, sent_at=timezone.now()
                )
    except (smtplib.SMTPException, OSError):
        for row in ProposalEmail.objects.filter(id__in=ids, next_attempt_at=lease_until):
            _back_off(row, lease_until)
    return sent


def _back_off(row: ProposalEmail, lease_until: datetime) -> None:
    logger.warning("proposal email %s could not be sent; will retry", row.pk)
    attempts = row.attempts + 1
    mine = ProposalEmail.objects.filter(pk=row.pk, next_attempt_at=lease_until)
    if attempts >= MAX_ATTEMPTS:
        mine.update(attempts=F("attempts") + 1, next_attempt_at=None, failed_at=timezone.now())
    else:
        mine.update(
            attempts=F("attempts") + 1, next_attempt_at=timezone.now() + retry_delay(attempts)
        )


def _url(name: str, **kwargs: str) -> str:
    return settings.SITE_URL + reverse(name, kwargs=kwargs)


def message_for(row: ProposalEmail) -> EmailMultiAlternatives:
    proposal = row.proposal
    context: dict = {
        "name": proposal.creator_name,
        "proposal": proposal,
        "proposal_url": _url("proposals:detail", slug=proposal.slug),
        "required": required_sponsors(),
    }
    to, language = proposal.creator_email, proposal.language
    if row.kind == EmailKind.CONFIRM_CREATOR:
        token = tokens.token_for(tokens.CREATOR, proposal.confirmation_key)
        context["confirm_url"] = _url("proposals:confirm", token=token)
        context["expires_at"] = proposal.confirmation_expires_at
    elif row.kind == EmailKind.CONFIRM_SPONSOR and row.sponsor is not None:
        sponsor = row.sponsor
        token = tokens.token_for(tokens.SPONSOR, sponsor.confirmation_key)
        context.update(
            name=sponsor.name, confirm_url=_url("proposals:confirm_sponsor", token=token),
            expires_at=sponsor.confirmation_expires_at,
        )  # fmt: skip
        to, language = sponsor.email, sponsor.language
    elif row.kind == EmailKind.PUBLISHED and proposal.petition is not None:
        context["petition_url"] = _url("signatures:petition", slug=proposal.petition.slug)
    elif row.kind == EmailKind.REJECTED:
        context["reason"] = proposal.get_rejection_reason_display()
    return compose_email(f"proposal_{row.kind}", context, to=to, language=language)
