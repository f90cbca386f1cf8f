"""Sending the emails public petitions owe: confirmation links and news for the creator.

As every outbox (core/outbox.py): rows are leased with SKIP LOCKED (two workers never send
one row), only rows still holding the lease are marked sent, and a failure backs off and
retries; after outbox.MAX_ATTEMPTS a row is marked failed, never silently dropped.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.urls import reverse
from django.utils import timezone

from undersigned.core import outbox
from undersigned.notifications.services import compose_email
from undersigned.proposals import tokens
from undersigned.proposals.models import EmailKind, ProposalEmail
from undersigned.proposals.selectors import required_sponsors

logger = logging.getLogger(__name__)

BATCH_SIZE = 100
DUE = "next_attempt_at"  # the outbox's due-time column (core/outbox.py)


def send_due_proposal_emails() -> int:
    ids, lease_until = outbox.lease_due(
        ProposalEmail.objects.all(), due_field=DUE, batch_size=BATCH_SIZE, now=timezone.now()
    )
    if not ids:
        return 0
    ours = outbox.still_leased(ProposalEmail, ids, due_field=DUE, lease_until=lease_until)
    sent = 0
    try:
        with mailers.default as connection:
            for row in ours.select_related("proposal", "proposal__petition", "sponsor"):
                try:
                    connection.send_messages([message_for(row)])
                except (smtplib.SMTPException, OSError):
                    _back_off(row, lease_until)
                    continue
                sent += ours.filter(pk=row.pk).update(next_attempt_at=None, sent_at=timezone.now())
    except (smtplib.SMTPException, OSError):
        for row in ours.all():
            _back_off(row, lease_until)
    return sent


def _back_off(row: ProposalEmail, lease_until: datetime) -> None:
    logger.warning("proposal email %s could not be sent; will retry", row.pk)
    outbox.back_off(
        outbox.still_leased(ProposalEmail, [row.pk], due_field=DUE, lease_until=lease_until),
        row.attempts + 1,
        due_field=DUE,
        attempts_field="attempts",
        failed_field="failed_at",
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
