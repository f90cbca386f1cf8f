"""Milestone and outcome emails: through the throttled, resumable mailing machinery, once to
each opted-in signer of the petition (one per normalised address), and to no one else."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from tests.factories import make_petition, make_signature, make_signatures
from tests.fixtures.smtp import text_body
from tests.mailings.helpers import recipients_of, send_whole_mailing, subject_of
from tests.moderation.helpers import count_confirmations
from undersigned.mailings.models import MailingKind
from undersigned.mailings.services import (
    MailingAlreadyStarted,
    MilestoneNotReached,
    start_due_milestone_mailings,
    start_milestone_mailing,
    start_outcome_mailing,
)
from undersigned.petitions.models import Milestone, Outcome
from undersigned.petitions.outcomes import change_outcome, record_response

pytestmark = pytest.mark.django_db


@pytest.fixture
def petition_and_signers():
    """Opted in: ada (who signed another petition of the case too), bob (in German). Not: carl,
    (no updates), dora (unconfirmed), eve (invalidated), fay (signed only another petition)."""
    petition = make_petition(title_en="Free them", title_de="Befreit sie")
    make_signature(petition, email="ada@example.org", opted_in=True)
    make_signature(petition, email="bob@example.org", language="de", opted_in=True)
    make_signature(petition, email="carl@example.org")
    make_signature(petition, email="dora@example.org", confirmed=False, opted_in=True)
    make_signature(petition, email="eve@example.org", invalidated=True, opted_in=True)
    other = make_petition(case=petition.case)
    make_signature(other, email="fay@example.org", opted_in=True)
    make_signature(other, email="Ada@Example.org", opted_in=True)
    return petition


def reached(petition, count=1, **fields) -> Milestone:
    return Milestone.objects.create(
        petition=petition, count=count, crossed_at=timezone.now(), **fields
    )


def test_a_milestone_email_reaches_each_opted_in_signer_once_and_no_one_else(
    smtp_sink, petition_and_signers
):
    milestone = reached(
        petition_and_signers, 1000, email_subject_en="1,000 of us!",
        email_body_en="We are **1,000**.", email_subject_de="1.000 sind wir!",
    )  # fmt: skip
    mailing = start_milestone_mailing(milestone, acting_user=None)
    assert mailing.kind == MailingKind.MILESTONE
    assert send_whole_mailing(mailing) == 2
    messages = smtp_sink.wait_for(2)
    assert recipients_of(messages) == ["ada@example.org", "bob@example.org"]
    by_to = {str(m["To"]): m for m in messages}
    assert subject_of(by_to["ada@example.org"]) == "1,000 of us!"
    assert subject_of(by_to["bob@example.org"]) == "1.000 sind wir!"
    assert "We are 1,000." in text_body(by_to["bob@example.org"]).replace("**", "")  # English
    for message in messages:
        assert message["List-Unsubscribe"].startswith("<http")
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    with pytest.raises(MailingAlreadyStarted):
        start_milestone_mailing(milestone, acting_user=None)


def test_a_milestone_without_a_text_gets_the_default_one(smtp_sink, petition_and_signers):
    mailing = start_milestone_mailing(reached(petition_and_signers, 500), acting_user=None)
    send_whole_mailing(mailing)
    by_to = {str(m["To"]): m for m in smtp_sink.wait_for(2)}
    assert subject_of(by_to["ada@example.org"]) == "Free them: 500 signatures!"
    assert "passed 500 signatures" in text_body(by_to["ada@example.org"])
    assert subject_of(by_to["bob@example.org"]).startswith("Befreit sie")


def test_a_milestone_not_reached_cannot_be_emailed(petition_and_signers):
    milestone = Milestone.objects.create(petition=petition_and_signers, count=10)
    with pytest.raises(MilestoneNotReached):
        start_milestone_mailing(milestone, acting_user=None)


def test_auto_send_emails_a_milestone_once_when_the_counting_job_crosses_it(smtp_sink):
    petition = make_petition()
    make_signature(
        petition, email="ada@example.org", opted_in=True
    )  # counted below with the others
    Milestone.objects.create(petition=petition, count=3, auto_send=True)
    Milestone.objects.create(petition=petition, count=4)  # staff decide: no email
    make_signatures(petition, 4, updates_opt_in=False)
    assert start_due_milestone_mailings() == 0  # not crossed yet
    count_confirmations()
    assert start_due_milestone_mailings() == 1
    assert start_due_milestone_mailings() == 0  # crossing again sends nothing twice
    milestone = Milestone.objects.get(petition=petition, count=3)
    send_whole_mailing(milestone.mailings.get())
    assert recipients_of(smtp_sink.wait_for(1)) == ["ada@example.org"]


def test_the_response_and_a_win_can_be_emailed_to_the_petitions_signers(
    smtp_sink, petition_and_signers
):
    petition = petition_and_signers
    record_response(
        petition, responded_on=date(2026, 11, 20), acting_user=None,
        bodies={"en": "We will release them.", "de": "Wir lassen sie frei."},
    )  # fmt: skip
    responded = petition.outcome_changes.get(to_outcome=Outcome.RESPONDED)
    send_whole_mailing(start_outcome_mailing(responded, acting_user=None))
    messages = smtp_sink.wait_for(2)
    by_to = {str(m["To"]): m for m in messages}
    assert "has responded" in subject_of(by_to["ada@example.org"])
    assert "We will release them." in text_body(by_to["ada@example.org"])
    assert "Wir lassen sie frei." in text_body(by_to["bob@example.org"])
    won = change_outcome(petition, Outcome.WON, acting_user=None)
    send_whole_mailing(start_outcome_mailing(won, acting_user=None))
    won_messages = smtp_sink.wait_for(4)[2:]
    assert recipients_of(won_messages) == ["ada@example.org", "bob@example.org"]
    assert all("we won" in subject_of(m) for m in won_messages if m["To"] == "ada@example.org")
