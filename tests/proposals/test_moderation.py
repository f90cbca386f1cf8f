"""Moderators decide: publish or reject with a reason; only one decision ever counts."""

from __future__ import annotations

import pytest

from tests.factories import make_organisation, make_staff
from tests.proposals.helpers import CREATOR_EMAIL, deliver, make_proposal
from tests.sign_in import sign_in
from undersigned.audit.models import AuditAction, AuditLogEntry
from undersigned.campaigns.models import Role
from undersigned.petitions.models import Petition
from undersigned.proposals import services
from undersigned.proposals.models import HIDING_REASONS, Proposal, RejectionReason
from undersigned.proposals.states import IllegalTransition, ProposalState

pytestmark = pytest.mark.django_db

TEXT = "The dam floods three villages."


@pytest.mark.parametrize("reason", sorted(RejectionReason.values))
def test_a_rejection_hides_the_text_only_for_the_hiding_reasons(client, organisation, reason):
    proposal = make_proposal(organisation, state=ProposalState.IN_MODERATION, background=TEXT)
    sign_in(client, make_staff(organisation, Role.MODERATOR))
    response = client.post(
        f"/staff/proposals/{proposal.slug}/", {"decision": "reject", "reason": reason}
    )
    assert response.status_code == 303
    page = client.get(f"/proposals/{proposal.slug}/").content.decode()
    shown = TEXT in page and proposal.title in page
    assert shown is (reason not in HIDING_REASONS)
    assert str(RejectionReason(reason).label) in page
    assert not Petition.objects.exists()


def test_the_creator_is_told_the_reason_and_the_audit_log_the_decision(organisation, smtp_sink):
    proposal = make_proposal(organisation, state=ProposalState.IN_MODERATION)
    moderator = make_staff(organisation, Role.MODERATOR)
    services.reject_proposal(proposal, RejectionReason.NOT_AN_ACTION, acting_user=moderator)
    (message,) = deliver(smtp_sink)
    assert message["To"] == CREATOR_EMAIL
    assert (
        str(RejectionReason.NOT_AN_ACTION.label)
        in message.get_payload()[0].get_payload(decode=True).decode()
    )
    entry = AuditLogEntry.objects.get(action=AuditAction.PROPOSAL_MODERATED)
    assert entry.detail == "decision=reject reason=not_an_action"
    assert entry.user_id == moderator.pk and entry.organisation_id == organisation.pk


def test_a_rejection_needs_a_reason_from_the_list(client, organisation):
    proposal = make_proposal(organisation, state=ProposalState.IN_MODERATION)
    sign_in(client, make_staff(organisation, Role.MODERATOR))
    url = f"/staff/proposals/{proposal.slug}/"
    assert client.post(url, {"decision": "reject"}).status_code == 422
    assert client.post(url, {"decision": "reject", "reason": "boring"}).status_code == 422
    assert client.post(url, {"decision": "maybe"}).status_code == 422
    assert Proposal.objects.get().state == ProposalState.IN_MODERATION


def test_of_two_moderators_deciding_at_once_only_the_first_decision_counts(organisation):
    first = make_proposal(organisation, state=ProposalState.IN_MODERATION)
    second = Proposal.objects.get(pk=first.pk)  # read by the other moderator before the first
    services.publish_proposal(first, acting_user=make_staff(organisation, Role.MODERATOR))
    with pytest.raises(IllegalTransition):
        services.reject_proposal(
            second, "offensive", acting_user=make_staff(organisation, Role.ADMIN)
        )
    with pytest.raises(IllegalTransition):
        services.publish_proposal(second, acting_user=make_staff(organisation, Role.ADMIN))
    stored = Proposal.objects.get()
    assert (stored.state, stored.rejection_reason) == (ProposalState.PUBLISHED, "")
    assert Petition.objects.count() == 1
    assert AuditLogEntry.objects.filter(action=AuditAction.PROPOSAL_MODERATED).count() == 1


def test_the_late_moderator_is_told_someone_else_decided(client, organisation):
    proposal = make_proposal(organisation, state=ProposalState.IN_MODERATION)
    services.publish_proposal(proposal, acting_user=make_staff(organisation, Role.MODERATOR))
    sign_in(client, make_staff(organisation, Role.MODERATOR))
    response = client.post(
        f"/staff/proposals/{proposal.slug}/", {"decision": "reject", "reason": "duplicate"}
    )
    assert response.status_code == 409
    assert Proposal.objects.get().state == ProposalState.PUBLISHED


def test_publications_share_one_case_per_organisation(organisation):
    moderator = make_staff(organisation, Role.MODERATOR)
    for _ in range(2):
        proposal = make_proposal(organisation, state=ProposalState.IN_MODERATION)
        services.publish_proposal(proposal, acting_user=moderator)
    cases = {petition.case for petition in Petition.objects.select_related("case")}
    assert len(cases) == 1
    (case,) = cases
    assert case.organisation == organisation and case.is_published


def test_a_case_slug_taken_by_another_organisation_is_left_alone(organisation):
    from tests.factories import make_case

    other = make_organisation()
    theirs = make_case(organisation=other, slug=f"{organisation.slug}-petitions-from-the-public")
    proposal = make_proposal(organisation, state=ProposalState.IN_MODERATION)
    petition = services.publish_proposal(
        proposal, acting_user=make_staff(organisation, Role.MODERATOR)
    )
    theirs.refresh_from_db()
    assert theirs.organisation == other
    assert petition.case.organisation == organisation
