"""A member of the public drafts a petition, five sponsors back it, a moderator publishes it —
through the real views, with every email going through a real SMTP sink."""

from __future__ import annotations

import pytest

from tests.factories import form_token_data, make_staff
from tests.proposals.helpers import CREATOR_EMAIL, deliver, draft_data, link_in, sponsor_data
from tests.sign_in import sign_in
from undersigned.audit.models import AuditAction, AuditLogEntry
from undersigned.campaigns.models import Role
from undersigned.petitions.models import Petition, PetitionStatus
from undersigned.proposals.models import Proposal, Sponsor
from undersigned.proposals.states import ProposalState

pytestmark = pytest.mark.django_db


def test_a_drafted_petition_gathers_sponsors_and_is_published_as_an_open_petition(
    client, organisation, smtp_sink
):
    assert client.get("/proposals/new/").status_code == 200
    response = client.post("/proposals/new/", draft_data())
    assert response.status_code == 303
    proposal = Proposal.objects.get()
    assert proposal.state == ProposalState.UNCONFIRMED
    assert client.get(f"/proposals/{proposal.slug}/").status_code == 404  # not public yet

    (confirm_email,) = deliver(smtp_sink)
    assert confirm_email["To"] == CREATOR_EMAIL
    confirm_path = link_in(confirm_email, "/proposals/confirm/")
    assert client.get(confirm_path).status_code == 200  # GET only shows the button
    assert Proposal.objects.get().state == ProposalState.UNCONFIRMED
    response = client.post(confirm_path, form_token_data())
    assert response["Location"] == f"/proposals/{proposal.slug}/"
    assert Proposal.objects.get().state == ProposalState.GATHERING

    for n in range(5):
        email = f"sponsor{n}@example.org"
        response = client.post(
            f"/proposals/{proposal.slug}/sponsor/", sponsor_data(f"S {n}", email)
        )
        assert response.status_code == 303
        (message,) = deliver(smtp_sink)
        assert message["To"] == email
        client.post(link_in(message, "/proposals/sponsor/confirm/"), form_token_data())
        expected = ProposalState.GATHERING if n < 4 else ProposalState.IN_MODERATION
        assert Proposal.objects.get().state == expected
    assert Proposal.objects.get().sponsor_count == 5
    (in_moderation,) = deliver(smtp_sink)
    assert in_moderation["To"] == CREATOR_EMAIL
    assert "has its sponsors" in in_moderation["Subject"]

    sign_in(client, make_staff(organisation, Role.MODERATOR))
    assert proposal.title.encode() in client.get("/staff/proposals/").content
    response = client.post(f"/staff/proposals/{proposal.slug}/", {"decision": "publish"})
    assert response.status_code == 303

    petition = Petition.objects.select_related("case").get()
    assert petition.status == PetitionStatus.OPEN
    assert petition.case.organisation == organisation
    assert petition.title == "Protect the old forest of Bialowieza"
    assert Proposal.objects.get().petition == petition
    assert client.get(f"/petitions/{petition.slug}/").status_code == 200
    (published,) = deliver(smtp_sink)
    assert published["To"] == CREATOR_EMAIL
    assert f"/petitions/{petition.slug}/" in link_in(published, "/petitions/")

    entry = AuditLogEntry.objects.get(action=AuditAction.PROPOSAL_MODERATED)
    assert (entry.detail, entry.petition_id) == ("decision=publish", petition.pk)
    assert "@" not in entry.detail + entry.subject
    assert client.get("/staff/proposals/").content.count(proposal.title.encode()) == 0


def test_the_public_page_never_shows_an_email_address(client, organisation, smtp_sink):
    client.post("/proposals/new/", draft_data())
    proposal = Proposal.objects.get()
    client.post(link_in(deliver(smtp_sink)[0], "/proposals/confirm/"), form_token_data())
    client.post(f"/proposals/{proposal.slug}/sponsor/", sponsor_data("Sam", "sam@example.org"))
    page = client.get(f"/proposals/{proposal.slug}/").content.decode()
    assert proposal.title in page
    assert "0 sponsors so far; 5 needed" in page  # Sam has not confirmed yet
    assert 'for="share-link"' in page
    assert "@example.org" not in page and "Cleo" not in page and "Sam" not in page


def test_the_creator_cannot_sponsor_their_own_petition(client, organisation, smtp_sink):
    client.post("/proposals/new/", draft_data(email="Cleo.Creator+x@Example.org"))
    proposal = Proposal.objects.get()
    client.post(link_in(deliver(smtp_sink)[0], "/proposals/confirm/"), form_token_data())
    response = client.post(
        f"/proposals/{proposal.slug}/sponsor/", sponsor_data("Me", "cleo.creator@example.org")
    )
    assert response.status_code == 303  # the same answer as anyone gets
    assert not Sponsor.objects.exists()
    (notice,) = deliver(smtp_sink)
    assert "cannot sponsor" in notice["Subject"]


def test_one_person_sponsors_once_whatever_way_they_write_their_address(
    client, organisation, smtp_sink
):
    client.post("/proposals/new/", draft_data())
    proposal = Proposal.objects.get()
    client.post(link_in(deliver(smtp_sink)[0], "/proposals/confirm/"), form_token_data())
    url = f"/proposals/{proposal.slug}/sponsor/"
    client.post(url, sponsor_data("Jane", "Jane.Doe+petition@gmail.com"))
    (message,) = deliver(smtp_sink)
    confirm_path = link_in(message, "/proposals/sponsor/confirm/")
    client.post(confirm_path, form_token_data())
    client.post(confirm_path, form_token_data())  # a second click counts nothing
    client.post(url, sponsor_data("Jane", "janedoe@googlemail.com"))
    assert Sponsor.objects.count() == 1
    assert Proposal.objects.get().sponsor_count == 1
    assert deliver(smtp_sink) == []  # already confirmed: no new link
