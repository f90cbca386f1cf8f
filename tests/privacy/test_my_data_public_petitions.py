""" "Manage my data" covers a person's public petitions and update emails too: their download
lists them, and "erase everything" leaves no table holding their address or name."""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories import form_token_data, make_case, make_organisation, make_petition, make_staff
from tests.privacy.my_data_helpers import open_my_data
from tests.privacy.test_my_data_erasure import (
    dev_outbox,
    every_text_in_the_database,
    sign_and_confirm,
)
from undersigned.campaigns.models import Role
from undersigned.core import linktoken
from undersigned.mailings.sending import send_mailing_run
from undersigned.mailings.services import write_update
from undersigned.proposals.emails import send_due_proposal_emails
from undersigned.proposals.models import Proposal, Sponsor
from undersigned.proposals.services import (
    confirm_creator,
    confirm_sponsor,
    draft_proposal,
    sponsor_proposal,
)
from undersigned.signatures.emails import send_due_emails

pytestmark = pytest.mark.django_db

__all__ = ["dev_outbox"]  # the fixture, shared with the erasure test

EMAIL = "Zoe.Quill+petitions@Example.org"
NAME = "Zoe Quillfeather"
NEEDLES = ("zoe.quill", "quill+petitions", "quillfeather")
OTHER, OTHER_NAME = "owen.other@example.org", "Owen Otherton"


def draft(organisation, email: str, name: str, title: str) -> Proposal:
    proposal = draft_proposal(
        organisation, title=title, action="Stop all logging in the forest now.",
        background="The forest is one of the last primeval forests of Europe.",
        target="The Minister", name=name, email=email, language="en",
    )  # fmt: skip
    confirm_creator(linktoken.token_for(linktoken.Kind.PROPOSAL_CREATOR, proposal.confirmation_key))
    return Proposal.objects.get(pk=proposal.pk)


def sponsor_and_confirm(proposal: Proposal, email: str, name: str) -> None:
    sponsor_proposal(proposal, name=name, email=email, language="en")
    key = Sponsor.objects.get(proposal=proposal, email=email).confirmation_key
    confirm_sponsor(linktoken.token_for(linktoken.Kind.PROPOSAL_SPONSOR, key))


@pytest.fixture
def footprint(client, settings, dev_outbox, django_capture_on_commit_callbacks):
    """Zoe signed a petition (and was emailed an update), drafted a proposal and sponsored
    Owen's; Owen did the same the other way round. Every email went to the dev outbox."""
    settings.PUBLIC_PETITION_SPONSORS = 5
    organisation = make_organisation()
    petition = make_petition(case=make_case(organisation=organisation))
    sign_and_confirm(petition, EMAIL, NAME)
    sign_and_confirm(petition, OTHER, OTHER_NAME)
    send_due_emails()
    with django_capture_on_commit_callbacks(execute=True):
        written = write_update(
            petition.case, acting_user=make_staff(organisation, Role.ADMIN),
            published_on=date.today(),
            title_en="The minister replied", texts={"body_en": "Things moved."},
            email_signers=True,
        )  # fmt: skip
    assert written.mailing is not None
    send_mailing_run(written.mailing.pk, written.mailing.runner)
    zoes = draft(organisation, EMAIL, NAME, "Zoe's proposal about the forest")
    owens = draft(organisation, OTHER, OTHER_NAME, "Owen's proposal about the river")
    sponsor_and_confirm(owens, EMAIL, NAME)
    sponsor_and_confirm(zoes, OTHER, OTHER_NAME)
    send_due_proposal_emails()
    open_my_data(client, EMAIL)
    return zoes, owens


def test_the_download_holds_her_proposals_sponsorships_and_update_emails(client, footprint):
    data = client.get("/my-data/you/my-data.json").json()
    assert len(data["signatures"]) == 1
    petitions = data["public_petitions"]
    assert [row["title"] for row in petitions["proposals_created"]] == [
        "Zoe's proposal about the forest"
    ]
    assert petitions["proposals_created"][0]["your_name"] == NAME
    assert [(row["proposal_title"], row["confirmed"]) for row in petitions["sponsorships"]] == [
        ("Owen's proposal about the river", True)
    ]
    assert [row["update"] for row in data["update_emails"]] == ["The minister replied"]
    assert data["update_emails"][0]["sent_at"] is not None
    text = str(data).lower()
    assert "owen" not in text.replace("owen's proposal", ""), "nothing of the other person"


def test_erasing_everything_leaves_no_trace_in_any_table(client, footprint):
    zoes, owens = footprint
    before = {table for table, text in every_text_in_the_database().items() if "zoe.quill" in text}
    # The search finds her in the proposals tables, not only in the signatures.
    assert {"proposals_proposal", "proposals_sponsor", "notifications_outboxemail"} <= before

    response = client.post("/my-data/you/erase/", {**form_token_data(), "confirm": "on"})
    assert response.status_code == 303

    everything = every_text_in_the_database()
    for needle in NEEDLES:
        assert {table for table, text in everything.items() if needle in text} == set(), needle
    # Owen's proposal stays, and its count no longer includes her; his sponsorship of her
    # unpublished proposal went with it.
    assert OTHER in everything["proposals_proposal"] and not Sponsor.objects.exists()
    owens.refresh_from_db()
    assert owens.sponsor_count == 0
    assert not Proposal.objects.filter(pk=zoes.pk).exists(), "her unpublished proposal is gone"


def test_someone_who_only_drafted_a_proposal_is_sent_a_link(client, settings, dev_outbox):
    settings.PUBLIC_PETITION_SPONSORS = 5
    draft(make_organisation(), EMAIL, NAME, "A proposal and no signature")
    open_my_data(client, EMAIL)  # asserts the email carries a link, not "we hold nothing"


def test_her_data_page_lists_what_other_parts_of_the_site_hold(client, footprint):
    page = client.get("/my-data/you/").content.decode()

    assert "Other data we hold about you" in page
    assert "Public petitions you drafted or sponsored: 2" in page  # one drafted, one sponsored
    assert "Update emails sent to you: 1" in page
    assert "Owen" not in page
