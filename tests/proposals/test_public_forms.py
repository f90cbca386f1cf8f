"""The public forms: bounded fields with clear messages, bots and floods turned away."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import form_token_data
from tests.limits import set_limit
from tests.proposals.helpers import draft_data, make_proposal, sponsor_data
from undersigned.core import linktoken
from undersigned.proposals.models import Proposal, ProposalEmail, Sponsor
from undersigned.proposals.states import ProposalState

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "x" * 151, "150 characters or fewer"),
        ("title", "Short", "at least 10 characters"),
        ("action", "", "Please fill in this field."),
        ("background", "y" * 5001, "5000 characters or fewer"),
        ("target", "The \x07 Minister", "invisible control characters"),
        ("name", "", "Please enter your name."),
        ("email", "not-an-address", "does not look like an email address"),
    ],
)
def test_bad_input_is_answered_with_a_clear_message_and_keeps_the_rest(
    client, organisation, field, value, message
):
    response = client.post("/proposals/new/", draft_data(**{field: value}))
    assert response.status_code == 422
    page = response.content.decode()
    assert message in page
    assert 'aria-invalid="true"' in page
    assert "Stop all logging in the old forest now." in page or field == "action"
    assert not Proposal.objects.exists()


def test_a_bot_filling_the_hidden_field_gets_the_normal_answer_and_stores_nothing(
    client, organisation
):
    response = client.post("/proposals/new/", draft_data(website="http://spam.example"))
    assert response.status_code == 303
    assert not Proposal.objects.exists()


def test_a_form_without_its_token_is_refused(client, organisation):
    data = draft_data()
    del data["form_token"]
    assert client.post("/proposals/new/", data).status_code == 403
    assert not Proposal.objects.exists()


def test_one_address_drafting_too_often_is_slowed_down_and_loses_nothing(
    client, organisation, settings
):
    set_limit(settings, "proposal_drafts", 2)
    for _ in range(2):
        assert client.post("/proposals/new/", draft_data()).status_code == 303
    response = client.post("/proposals/new/", draft_data(title="A third petition from here"))
    assert response.status_code == 429
    assert "A third petition from here" in response.content.decode()
    assert Proposal.objects.count() == 2
    other = client.post("/proposals/new/", draft_data(), REMOTE_ADDR="198.51.100.7")
    assert other.status_code == 303


def test_sponsoring_is_limited_per_address_too(client, organisation, settings):
    set_limit(settings, "proposal_sponsorings", 1)
    proposal = make_proposal(organisation)
    url = f"/proposals/{proposal.slug}/sponsor/"
    assert client.post(url, sponsor_data("A", "a@example.org")).status_code == 303
    assert client.post(url, sponsor_data("B", "b@example.org")).status_code == 429
    assert Sponsor.objects.count() == 1


def test_a_proposal_past_gathering_takes_no_more_sponsors(client, organisation):
    proposal = make_proposal(organisation, state=ProposalState.IN_MODERATION)
    url = f"/proposals/{proposal.slug}/sponsor/"
    assert client.post(url, sponsor_data("A", "a@example.org")).status_code == 409
    assert not Sponsor.objects.exists()


def test_an_unconfirmed_or_unknown_proposal_is_not_found(client, organisation):
    unconfirmed = make_proposal(organisation, state=ProposalState.UNCONFIRMED)
    assert client.get(f"/proposals/{unconfirmed.slug}/").status_code == 404
    assert client.get("/proposals/nothing-here/").status_code == 404


def test_a_forged_confirmation_link_does_nothing(client, organisation):
    proposal = make_proposal(organisation, state=ProposalState.UNCONFIRMED)
    forged = f"{proposal.confirmation_key}.AAAAAAAAAAAAAAAAAAAAAA"
    assert client.post(f"/proposals/confirm/{forged}/", form_token_data()).status_code == 404
    assert Proposal.objects.get().state == ProposalState.UNCONFIRMED


def test_an_expired_confirmation_link_does_not_confirm(client, organisation):
    proposal = make_proposal(
        organisation, state=ProposalState.UNCONFIRMED,
        confirmation_expires_at=timezone.now() - timedelta(minutes=1),
    )  # fmt: skip
    token = linktoken.token_for(linktoken.Kind.PROPOSAL_CREATOR, proposal.confirmation_key)
    response = client.post(f"/proposals/confirm/{token}/", form_token_data())
    assert b"expired" in response.content
    assert Proposal.objects.get().state == ProposalState.UNCONFIRMED


def test_a_sponsor_link_cannot_confirm_a_creator(client, organisation):
    proposal = make_proposal(organisation, state=ProposalState.UNCONFIRMED)
    token = linktoken.token_for(linktoken.Kind.PROPOSAL_SPONSOR, proposal.confirmation_key)
    assert client.post(f"/proposals/confirm/{token}/", form_token_data()).status_code == 404
    assert Proposal.objects.get().state == ProposalState.UNCONFIRMED


def test_drafting_owes_an_email_and_sends_nothing_on_the_request(client, organisation, smtp_sink):
    client.post("/proposals/new/", draft_data())
    assert ProposalEmail.objects.filter(sent_at__isnull=True).count() == 1
    assert smtp_sink.messages == []


def test_an_email_that_cannot_be_sent_waits_for_a_retry(client, organisation, settings):
    from tests.fixtures.smtp import free_port
    from undersigned.proposals.emails import send_due_proposal_emails

    client.post("/proposals/new/", draft_data())
    settings.MAILERS = {"default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 1},
    }}  # fmt: skip
    assert send_due_proposal_emails() == 0
    row = ProposalEmail.objects.get()
    assert row.attempts == 1 and row.sent_at is None
    assert row.next_attempt_at is not None and row.next_attempt_at > timezone.now()


def test_a_likely_typo_in_the_address_is_questioned_once_then_accepted(client, organisation):
    first = client.post("/proposals/new/", draft_data(email="cleo@gmai.com"))

    page = first.content.decode()
    assert first.status_code == 422
    assert "gmai.com — did you mean gmail.com?" in page
    assert 'name="email_checked" value="cleo@gmai.com"' in page  # the form carries the warning
    again = client.post(
        "/proposals/new/", draft_data(email="cleo@gmai.com", email_checked="cleo@gmai.com")
    )
    assert again.status_code == 303
