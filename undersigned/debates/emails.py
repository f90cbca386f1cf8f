"""The debates' outbox: confirmation links and decisions for people who contributed.

Each ContributionEmail row is one email owed; core/outbox.py leases, sends, marks sent and
backs off, one row at a time, and flags a row it gives up on, never dropping it.
"""

from __future__ import annotations

from datetime import datetime

from django.core.mail import EmailMultiAlternatives
from django.db.models import QuerySet

from undersigned.core import linktoken, outbox
from undersigned.core.site import absolute_url
from undersigned.debates.models import ContributionEmail, EmailKind
from undersigned.notifications.services import compose_email


class ContributionEmails(outbox.Outbox):
    name = "debate contribution emails"
    key = "debate_contribution"
    kind_field = "kind"
    model = ContributionEmail
    related = ("argument__debate__case",)
    due_field, attempts_field, sent_field = "next_attempt_at", "attempts", "sent_at"
    failed_field, failure_field = "failed_at", "failure"

    def owed(self) -> QuerySet[ContributionEmail]:
        # An erased or anonymised writer is owed nothing more.
        return ContributionEmail.objects.exclude(argument__author_email="")

    def message_for(self, row: ContributionEmail, lease_until: datetime) -> EmailMultiAlternatives:
        return message_for(row)


def send_due_contribution_emails(time_budget_s: float = 20.0) -> int:
    return ContributionEmails().send_due(time_budget_s)


def message_for(row: ContributionEmail) -> EmailMultiAlternatives:
    argument = row.argument
    debate = argument.debate
    context: dict = {
        "name": argument.author_name,
        "question": debate.question,
        "claim": argument.claim,
        "debate_url": absolute_url("debates:debate", case=debate.case.slug, slug=debate.slug),
    }
    if row.kind == EmailKind.CONFIRM:
        token = linktoken.token_for(
            linktoken.Kind.DEBATE_CONTRIBUTION, argument.confirmation_key or ""
        )
        context["confirm_url"] = absolute_url("debates:confirm", token=token)
        context["expires_at"] = argument.confirmation_expires_at
    elif row.kind == EmailKind.REJECTED:
        context["reason"] = argument.get_rejection_reason_display()
    return compose_email(
        f"debate_{row.kind}", context, to=argument.author_email, language=argument.language
    )
