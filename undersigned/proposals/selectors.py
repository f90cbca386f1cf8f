"""Reading public petitions: whether the feature is on, the public page, the moderators' queue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from undersigned.campaigns.models import Organisation
from undersigned.campaigns.permissions import Action, StaffUser, organisations_of, require
from undersigned.core.dates import add_months
from undersigned.proposals.models import Proposal, Sponsor
from undersigned.proposals.states import ProposalState


def feature_enabled() -> bool:
    return bool(settings.PUBLIC_PETITIONS)


def receiving_organisation() -> Organisation:
    """The organisation whose moderators decide on new proposals (404 while none is set)."""
    organisation = Organisation.objects.filter(slug=settings.PUBLIC_PETITIONS_ORGANISATION).first()
    if not feature_enabled() or organisation is None:
        raise Http404("Public petitions are not enabled")
    return organisation


def required_sponsors() -> int:
    return int(settings.PUBLIC_PETITION_SPONSORS)


def public_proposal(slug: str) -> Proposal:
    """A proposal the public may see: its creator has confirmed their email."""
    proposal = (
        Proposal.objects.exclude(state=ProposalState.UNCONFIRMED)
        .select_related("petition")
        .filter(slug=slug[:24])
        .first()
    )
    if proposal is None:
        raise Http404("No such proposal")
    return proposal


def moderation_queue(user: StaffUser) -> QuerySet[Proposal]:
    """Proposals waiting for a decision in the organisations this user moderates, oldest first.

    A member with no moderating role anywhere is refused (403); a stranger sees nothing (404).
    """
    organisations = organisations_of(user, Action.MODERATE)
    if not organisations.exists():
        if organisations_of(user).exists():
            raise PermissionDenied("Your role may not moderate.")
        raise Http404("Not found")
    return (
        Proposal.objects.filter(organisation__in=organisations, state=ProposalState.IN_MODERATION)
        .select_related("organisation")
        .order_by("updated_at")
    )


def proposal_for_moderator(user: StaffUser, slug: str) -> Proposal:
    """Any proposal of an organisation this user moderates; 404 for every other one."""
    proposal = Proposal.objects.select_related("organisation", "petition").filter(
        slug=slug[:24]
    ).exclude(state=ProposalState.UNCONFIRMED).first()  # fmt: skip
    if proposal is None:
        raise Http404("No such proposal")
    require(user, Action.MODERATE, proposal.organisation)
    return proposal


# -- retention (docs/public-petitions.md, "Personal data") ------------------------------------

UNCONFIRMED_KEPT = timedelta(days=30)
DECIDED_KEPT_MONTHS = 6
# A proposal still gathering sponsors a year after it was drafted is abandoned: deleted.
STALLED_KEPT_MONTHS = 12


@dataclass(frozen=True)
class RetentionDue:
    """What the retention run deletes or anonymises at one moment; each set is one query."""

    unconfirmed_proposals: QuerySet[Proposal]  # the creator never confirmed: deleted
    unconfirmed_sponsors: QuerySet[Sponsor]  # never confirmed: deleted
    decided_proposals: QuerySet[Proposal]  # decided long ago, names still held: anonymised
    stalled_proposals: QuerySet[Proposal]  # still gathering after a year: deleted, sponsors too


def retention_due(now: datetime) -> RetentionDue:
    cutoff = now - UNCONFIRMED_KEPT
    decided_before = add_months(now, -DECIDED_KEPT_MONTHS)
    decided = Proposal.objects.filter(
        state__in=(ProposalState.PUBLISHED, ProposalState.REJECTED), decided_at__lt=decided_before
    )
    return RetentionDue(
        unconfirmed_proposals=Proposal.objects.filter(
            state=ProposalState.UNCONFIRMED, created_at__lt=cutoff
        ),
        unconfirmed_sponsors=Sponsor.objects.filter(
            confirmed_at__isnull=True, created_at__lt=cutoff
        ),
        decided_proposals=decided.filter(
            Q(creator_email_normalised__gt="") | Q(sponsors__isnull=False)
        ).distinct(),
        stalled_proposals=Proposal.objects.filter(
            state=ProposalState.GATHERING,
            created_at__lt=add_months(now, -STALLED_KEPT_MONTHS),
        ),
    )
