"""The public petitions' outbox: confirmation links and news for creators and sponsors.

Each ProposalEmail row is one email owed; core/outbox.py leases, sends, marks sent and backs
off, one row at a time, and flags a row it gives up on (`failed_at`), never dropping it.
"""

from __future__ import annotations

from datetime import datetime

from django.core.mail import EmailMultiAlternatives

from undersigned.core import linktoken, outbox
from undersigned.core.site import absolute_url
from undersigned.notifications.services import compose_email
from undersigned.proposals.models import EmailKind, ProposalEmail
from undersigned.proposals.selectors import required_sponsors


class ProposalEmails(outbox.Outbox):
    name = "public petition emails"
    key = "proposal"
    kind_field = "kind"
    model = ProposalEmail
    related = ("proposal", "proposal__petition", "sponsor")
    due_field, attempts_field, sent_field = "next_attempt_at", "attempts", "sent_at"
    failed_field, failure_field = "failed_at", "failure"

    def message_for(self, row: ProposalEmail, lease_until: datetime) -> EmailMultiAlternatives:
        return message_for(row)


def send_due_proposal_emails(time_budget_s: float = 20.0) -> int:
    return ProposalEmails().send_due(time_budget_s)


def message_for(row: ProposalEmail) -> EmailMultiAlternatives:
    proposal = row.proposal
    context: dict = {
        "name": proposal.creator_name,
        "proposal": proposal,
        "proposal_url": absolute_url("proposals:detail", slug=proposal.slug),
        "required": required_sponsors(),
    }
    to, language = proposal.creator_email, proposal.language
    if row.kind == EmailKind.CONFIRM_CREATOR:
        token = linktoken.token_for(linktoken.Kind.PROPOSAL_CREATOR, proposal.confirmation_key)
        context["confirm_url"] = absolute_url("proposals:confirm", token=token)
        context["expires_at"] = proposal.confirmation_expires_at
    elif row.kind == EmailKind.CONFIRM_SPONSOR and row.sponsor is not None:
        sponsor = row.sponsor
        token = linktoken.token_for(linktoken.Kind.PROPOSAL_SPONSOR, sponsor.confirmation_key)
        context.update(
            name=sponsor.name, confirm_url=absolute_url("proposals:confirm_sponsor", token=token),
            expires_at=sponsor.confirmation_expires_at,
        )  # fmt: skip
        to, language = sponsor.email, sponsor.language
    elif row.kind == EmailKind.PUBLISHED and proposal.petition is not None:
        context["petition_url"] = absolute_url("signatures:petition", slug=proposal.petition.slug)
    elif row.kind == EmailKind.REJECTED:
        context["reason"] = proposal.get_rejection_reason_display()
    return compose_email(f"proposal_{row.kind}", context, to=to, language=language)
