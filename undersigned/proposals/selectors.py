"""Reading public petitions: whether the feature is on, the public page, the moderators' queue."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from undersigned.campaigns.models import Organisation
from undersigned.campaigns.permissions import Action, StaffUser, organisations_of, require
from undersigned.proposals.models import Proposal
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
