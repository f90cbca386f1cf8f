"""Every outbox shares core/outbox.py's loop: one bad row fails alone, with its reason."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import (
    form_token_data,
    make_organisation,
    make_petition,
    make_signature,
    sign_form_data,
)
from tests.proposals.helpers import draft_data
from undersigned.core.outbox import Failure
from undersigned.privacy.models import DataRequest
from undersigned.privacy.my_data.emails import send_due_my_data_emails
from undersigned.proposals.emails import send_due_proposal_emails
from undersigned.proposals.models import ProposalEmail
from undersigned.signatures.emails import send_due_emails
from undersigned.signatures.models import EmailDue, Signature

pytestmark = pytest.mark.django_db

INTERNATIONAL = "jösé@example.org"


def test_a_my_data_request_for_an_international_address_fails_alone(client, smtp_sink, caplog):
    petition = make_petition()
    neighbours = [f"asker{n}@example.org" for n in range(4)]
    for email in [neighbours[0], INTERNATIONAL, *neighbours[1:]]:
        make_signature(petition, email=email)
        client.post("/my-data/", {**form_token_data(), "email": email})
    send_due_my_data_emails()
    assert sorted(smtp_sink.recipients) == sorted(neighbours)
    bad = DataRequest.objects.get(email=INTERNATIONAL)
    assert (bad.email_failure, bad.email_due) == (Failure.SMTPUTF8, False)
    assert bad.email_failed_at is not None
    ours = [r for r in caplog.records if r.name.startswith("undersigned")]
    assert ours and not any(INTERNATIONAL in caplog.handler.format(r) for r in ours)


def test_a_public_petition_email_to_an_international_address_fails_alone(
    client, smtp_sink, settings
):
    settings.PUBLIC_PETITIONS = True
    settings.PUBLIC_PETITIONS_ORGANISATION = make_organisation().slug
    creators = [f"creator{n}@example.org" for n in range(3)]
    for email in [creators[0], INTERNATIONAL, *creators[1:]]:
        assert client.post("/proposals/new/", draft_data(email=email)).status_code == 303
    send_due_proposal_emails()
    assert sorted(smtp_sink.recipients) == sorted(creators)
    bad = ProposalEmail.objects.get(proposal__creator_email=INTERNATIONAL)
    assert bad.failure == Failure.SMTPUTF8 and bad.failed_at is not None
    assert bad.next_attempt_at is None and bad.attempts == 1


def test_a_server_refusing_with_451_and_421_gets_every_email_once_it_answers(
    client, smtp_sink, settings
):
    settings.EMAIL_RETRY_SECONDS = 7
    petition = make_petition()
    signers = [f"signer{n}@example.org" for n in range(3)]
    for email in signers:
        client.post(f"/petitions/{petition.slug}/sign/", sign_form_data(email=email))

    smtp_sink.refusing = "451"  # each recipient: try again later
    before = timezone.now()
    assert send_due_emails() == 0
    rows = list(Signature.objects.order_by("id"))
    assert [(row.email_attempts, row.email_failure) for row in rows] == [(1, "refused")] * 3
    for row in rows:
        assert row.email_next_attempt_at is not None
        assert row.email_next_attempt_at >= before + timedelta(seconds=7)
        assert row.email_next_attempt_at < timezone.now() + timedelta(seconds=8)

    smtp_sink.refusing = "421"  # the server is closing the channel: the batch stops there
    Signature.objects.update(email_next_attempt_at=timezone.now())
    assert send_due_emails() == 0
    rows = list(Signature.objects.order_by("id"))
    assert [row.email_failure for row in rows] == ["rejected", "connection", "connection"]
    assert {row.email_attempts for row in rows} == {2}
    for row in rows:
        assert row.email_next_attempt_at is not None
        assert row.email_next_attempt_at >= before + timedelta(seconds=14)
    assert all(row.email_failed_at is None for row in rows)  # still owed, not given up

    smtp_sink.refusing = ""  # answering again
    Signature.objects.update(email_next_attempt_at=timezone.now())
    assert send_due_emails() == 3
    assert sorted(smtp_sink.recipients) == signers  # each once
    assert not Signature.objects.exclude(email_due=EmailDue.NONE).exists()
