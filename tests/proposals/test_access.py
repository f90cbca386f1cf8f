"""Who sees the queue: moderators and admins of the receiving organisation, nobody else; and
nothing at all while the feature is off."""

from __future__ import annotations

import pytest

from tests.factories import form_token_data, make_organisation, make_staff
from tests.proposals.helpers import draft_data, make_proposal
from tests.sign_in import sign_in
from undersigned.campaigns.models import Role
from undersigned.proposals.models import Proposal, Sponsor
from undersigned.proposals.states import ProposalState

pytestmark = pytest.mark.django_db

E, A, D, M, MO = Role.EDITOR, Role.ANALYST, Role.DATA_OFFICER, Role.ADMIN, Role.MODERATOR


# Which roles reach the queue and the review page: the permission matrix
# (tests/backoffice/test_permission_matrix.py). Here: what a moderator does there.
@pytest.mark.parametrize("role", [M, MO])
def test_a_moderator_finds_the_proposal_in_the_queue_and_publishes_it(client, organisation, role):
    proposal = make_proposal(organisation, state=ProposalState.IN_MODERATION)
    sign_in(client, make_staff(organisation, role))
    assert proposal.title in client.get("/staff/proposals/").content.decode()
    assert proposal.title in client.get(f"/staff/proposals/{proposal.slug}/").content.decode()
    response = client.post(f"/staff/proposals/{proposal.slug}/", {"decision": "publish"})
    assert response.status_code == 303
    assert Proposal.objects.get().state == ProposalState.PUBLISHED


@pytest.mark.parametrize("role", [E, A, D])
def test_a_role_that_does_not_moderate_decides_nothing(client, organisation, role):
    proposal = make_proposal(organisation, state=ProposalState.IN_MODERATION)
    sign_in(client, make_staff(organisation, role))
    client.post(f"/staff/proposals/{proposal.slug}/", {"decision": "publish"})
    assert Proposal.objects.get().state == ProposalState.IN_MODERATION


def test_a_moderator_of_another_organisation_finds_nothing(client, organisation):
    proposal = make_proposal(organisation, state=ProposalState.IN_MODERATION)
    sign_in(client, make_staff(make_organisation(), Role.MODERATOR))
    assert proposal.title.encode() not in client.get("/staff/proposals/").content
    assert client.get(f"/staff/proposals/{proposal.slug}/").status_code == 404
    response = client.post(f"/staff/proposals/{proposal.slug}/", {"decision": "publish"})
    assert response.status_code == 404
    assert Proposal.objects.get().state == ProposalState.IN_MODERATION


def test_signed_out_visitors_are_sent_to_sign_in(client, organisation):
    assert "/login/" in client.get("/staff/proposals/")["Location"]


def test_the_staff_home_links_to_the_queue_for_moderators_only_while_the_feature_is_on(
    client, organisation, settings
):
    sign_in(client, make_staff(organisation, Role.MODERATOR))
    assert b'href="/staff/proposals/"' in client.get("/staff/").content
    settings.PUBLIC_PETITIONS = False
    assert b'href="/staff/proposals/"' not in client.get("/staff/").content


def test_an_editor_sees_no_link_to_the_queue(client, organisation):
    sign_in(client, make_staff(organisation, Role.EDITOR))
    assert b'href="/staff/proposals/"' not in client.get("/staff/").content


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/proposals/new/"),
        ("post", "/proposals/new/"),
        ("get", "/proposals/check-email/"),
        ("get", "/proposals/confirm/abc.def/"),
        ("post", "/proposals/confirm/abc.def/"),
        ("get", "/proposals/sponsor/confirm/abc.def/"),
        ("get", "/proposals/{slug}/"),
        ("post", "/proposals/{slug}/sponsor/"),
        ("get", "/staff/proposals/"),
        ("get", "/staff/proposals/{slug}/"),
    ],
)
def test_every_page_answers_404_while_the_feature_is_off(
    client, organisation, settings, method, path
):
    proposal = make_proposal(organisation, state=ProposalState.IN_MODERATION)
    sign_in(client, make_staff(organisation, Role.ADMIN))
    settings.PUBLIC_PETITIONS = False
    url = path.format(slug=proposal.slug)
    data = draft_data() if method == "post" else None
    response = client.post(url, data or form_token_data()) if method == "post" else client.get(url)
    assert response.status_code == 404
    assert proposal.title not in response.content.decode(), "the page let the proposal show"
    assert Proposal.objects.count() == 1 and not Sponsor.objects.exists(), "a POST stored data"


def test_the_feature_is_off_by_default():
    from django.conf import settings

    assert settings.PUBLIC_PETITIONS is False
