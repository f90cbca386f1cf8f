"""Writing public petitions: drafting, confirming, sponsoring, and the moderators' decisions.

Every change of state goes through states.apply; every email is a ProposalEmail row that the
worker sends (emails.py), so no request waits on SMTP.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from undersigned.audit.models import AuditAction
from undersigned.audit.services import record
from undersigned.campaigns.models import Organisation
from undersigned.campaigns.permissions import StaffUser
from undersigned.core import linktoken
from undersigned.petitions.models import Petition
from undersigned.petitions.services import open_petition_from_the_public
from undersigned.proposals.models import (
    EmailKind,
    Proposal,
    ProposalEmail,
    RejectionReason,
    Sponsor,
)
from undersigned.proposals.selectors import required_sponsors
from undersigned.proposals.states import Event, IllegalTransition, ProposalState, apply
from undersigned.signatures.normalise import normalise_email
from undersigned.signatures.services import ConfirmationOutcome


@dataclass(frozen=True)
class Confirmation:
    outcome: ConfirmationOutcome
    proposal: Proposal | None = None


class NotGatheringSponsors(Exception):
    """Sponsors are taken only while a proposal is gathering them."""


def _expiry() -> datetime:
    return timezone.now() + timedelta(days=settings.CONFIRMATION_TOKEN_DAYS)


def owe_email(proposal: Proposal, kind: EmailKind, sponsor: Sponsor | None = None) -> None:
    ProposalEmail.objects.create(
        proposal=proposal, sponsor=sponsor, kind=kind, next_attempt_at=timezone.now()
    )


def new_slug() -> str:
    """A proposal's public address: 72 random bits, 12 characters — says nothing of its writer."""
    return secrets.token_urlsafe(9)


@transaction.atomic
def draft_proposal(
    organisation: Organisation, *, title: str, action: str, background: str, target: str,
    name: str, email: str, language: str,
) -> Proposal:  # fmt: skip
    proposal = Proposal.objects.create(
        slug=new_slug(), organisation=organisation, title=title, action=action,
        background=background, target=target, creator_name=name, creator_email=email,
        creator_email_normalised=normalise_email(email), language=language,
        confirmation_key=linktoken.new_key(), confirmation_expires_at=_expiry(),
    )  # fmt: skip
    owe_email(proposal, EmailKind.CONFIRM_CREATOR)
    return proposal


def find_creator_confirmation(token: str) -> Confirmation:
    key = linktoken.key_from(linktoken.Kind.PROPOSAL_CREATOR, token)
    proposal = Proposal.objects.filter(confirmation_key=key).first() if key else None
    if proposal is None:
        return Confirmation(ConfirmationOutcome.INVALID)
    if proposal.state != ProposalState.UNCONFIRMED:
        return Confirmation(ConfirmationOutcome.ALREADY_CONFIRMED, proposal)
    if proposal.confirmation_expires_at < timezone.now():
        return Confirmation(ConfirmationOutcome.EXPIRED, proposal)
    return Confirmation(ConfirmationOutcome.CONFIRMED, proposal)


def confirm_creator(token: str) -> Confirmation:
    found = find_creator_confirmation(token)
    if found.outcome is ConfirmationOutcome.CONFIRMED and found.proposal is not None:
        try:
            apply(found.proposal, Event.CONFIRM_EMAIL)
        except IllegalTransition:  # confirmed by a second click meanwhile
            return Confirmation(ConfirmationOutcome.ALREADY_CONFIRMED, found.proposal)
    return found


def sponsor_proposal(proposal: Proposal, *, name: str, email: str, language: str) -> None:
    """Record a sponsor and owe them a confirmation link. The caller shows the same page
    whatever happened here, so the form never tells whether an address is already in."""
    if proposal.state != ProposalState.GATHERING:
        raise NotGatheringSponsors(proposal.state)
    normalised = normalise_email(email)
    with transaction.atomic():
        if normalised == proposal.creator_email_normalised:
            owe_email(proposal, EmailKind.CANNOT_SPONSOR_OWN)
            return
        try:
            with transaction.atomic():
                sponsor = Sponsor.objects.create(
                    proposal=proposal, name=name, email=email, email_normalised=normalised,
                    language=language, confirmation_key=linktoken.new_key(),
                    confirmation_expires_at=_expiry(),
                )  # fmt: skip
        except IntegrityError:
            sponsor = Sponsor.objects.get(proposal=proposal, email_normalised=normalised)
            pending = ProposalEmail.objects.filter(sponsor=sponsor, next_attempt_at__isnull=False)
            if sponsor.confirmed_at is not None or pending.exists():
                return
            Sponsor.objects.filter(pk=sponsor.pk).update(confirmation_expires_at=_expiry())
        owe_email(proposal, EmailKind.CONFIRM_SPONSOR, sponsor)


def find_sponsor_confirmation(token: str) -> tuple[Confirmation, Sponsor | None]:
    key = linktoken.key_from(linktoken.Kind.PROPOSAL_SPONSOR, token)
    sponsor = (
        Sponsor.objects.select_related("proposal").filter(confirmation_key=key).first()
        if key
        else None
    )
    if sponsor is None:
        return Confirmation(ConfirmationOutcome.INVALID), None
    if sponsor.confirmed_at is not None:
        return Confirmation(ConfirmationOutcome.ALREADY_CONFIRMED, sponsor.proposal), sponsor
    if sponsor.confirmation_expires_at < timezone.now():
        return Confirmation(ConfirmationOutcome.EXPIRED, sponsor.proposal), sponsor
    return Confirmation(ConfirmationOutcome.CONFIRMED, sponsor.proposal), sponsor


def confirm_sponsor(token: str) -> Confirmation:
    found, sponsor = find_sponsor_confirmation(token)
    if found.outcome is not ConfirmationOutcome.CONFIRMED or sponsor is None:
        return found
    with transaction.atomic():
        counted = Sponsor.objects.filter(pk=sponsor.pk, confirmed_at__isnull=True).update(
            confirmed_at=timezone.now()
        )
        if not counted:
            return Confirmation(ConfirmationOutcome.ALREADY_CONFIRMED, sponsor.proposal)
        Proposal.objects.filter(pk=sponsor.proposal_id).update(sponsor_count=F("sponsor_count") + 1)
        proposal = Proposal.objects.get(pk=sponsor.proposal_id)
        if proposal.state == ProposalState.GATHERING and (
            proposal.sponsor_count >= required_sponsors()
        ):
            _enter_moderation(proposal)
    return Confirmation(ConfirmationOutcome.CONFIRMED, proposal)


def _enter_moderation(proposal: Proposal) -> None:
    try:
        with transaction.atomic():
            apply(proposal, Event.SPONSORS_REACHED)
            owe_email(proposal, EmailKind.IN_MODERATION)
    except IllegalTransition:
        pass  # another sponsor's confirmation moved it first


@transaction.atomic
def publish_proposal(proposal: Proposal, *, acting_user: StaffUser) -> Petition:
    """Open the proposal as a petition of its organisation. Raises IllegalTransition if it is
    not (or no longer) waiting for moderation."""
    moderator = acting_user
    apply(proposal, Event.PUBLISH, decided_by_id=moderator.pk, decided_at=timezone.now())
    petition = open_petition_from_the_public(
        proposal.organisation, title=proposal.title, target=proposal.target,
        demand=f"{proposal.action}\n\n{proposal.background}",
    )  # fmt: skip
    Proposal.objects.filter(pk=proposal.pk).update(petition=petition)
    proposal.petition = petition
    owe_email(proposal, EmailKind.PUBLISHED)
    _audit(proposal, moderator, "decision=publish", petition_id=petition.pk)
    return petition


@transaction.atomic
def reject_proposal(proposal: Proposal, reason: str, *, acting_user: StaffUser) -> None:
    """Reject with a standard reason (models.RejectionReason). Raises IllegalTransition if the
    proposal is not (or no longer) waiting for moderation."""
    reason = RejectionReason(reason)  # ValueError for anything not on the list
    moderator = acting_user
    apply(
        proposal, Event.REJECT, rejection_reason=reason.value, decided_by_id=moderator.pk,
        decided_at=timezone.now(),
    )  # fmt: skip
    owe_email(proposal, EmailKind.REJECTED)
    _audit(proposal, moderator, f"decision=reject reason={reason.value}")


def _audit(
    proposal: Proposal, moderator: StaffUser, detail: str, petition_id: int | None = None
) -> None:
    # The random slug names the proposal; its text and its creator stay out of the log.
    record(
        AuditAction.PROPOSAL_MODERATED, user=moderator, organisation_id=proposal.organisation_id,
        petition_id=petition_id, subject=f"proposal {proposal.slug}", detail=detail,
    )  # fmt: skip
