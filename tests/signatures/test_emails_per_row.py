"""One signer's email never stops another's: every outbox decides row by row.

A signer may type an international address (`jösé@example.org`, RFC 6531), which Django can
put on an envelope only with SMTPUTF8. Sixteen neighbouring signers must each get their
confirmation exactly once whatever that one row does, and no address may reach a log.
"""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import form_token_data, make_petition, sign_form_data
from tests.fixtures.smtp import text_body
from undersigned.core.outbox import Failure
from undersigned.signatures.emails import send_due_emails
from undersigned.signatures.models import EmailDue, Signature

pytestmark = pytest.mark.django_db

INTERNATIONAL = "jösé@example.org"
GOOD = [f"neighbour{n}@example.org" for n in range(16)]
CONFIRM_LINK = re.compile(r"/confirm/([^/\s]+)/")


def sign_sixteen_around_one_international_address(client) -> None:
    petition = make_petition()
    for email in [*GOOD[:8], INTERNATIONAL, *GOOD[8:]]:
        response = client.post(f"/petitions/{petition.slug}/sign/", sign_form_data(email=email))
        assert response.status_code == 303, email


def send_and_retry(times: int = 3) -> None:
    """The worker's rounds: send, then make every row still owed due again, as retries do."""
    for _ in range(times):
        send_due_emails()
        Signature.objects.exclude(email_next_attempt_at=None).update(
            email_next_attempt_at=timezone.now() - timedelta(seconds=1)
        )


def confirm_every_link(client, sink) -> int:
    confirmed = 0
    for message in sink.messages:
        token = CONFIRM_LINK.search(text_body(message)).group(1)  # type: ignore[union-attr]
        confirmed += client.post(f"/confirm/{token}/", form_token_data()).status_code == 303
    return confirmed


def our_logs(caplog) -> str:
    """Every line our code and Django logged, tracebacks included (the SMTP sink's own debug
    log, which prints what it receives, is the mail server's, not ours)."""
    return "\n".join(
        caplog.handler.format(record)
        for record in caplog.records
        if not record.name.startswith("mail.log")
    )


def assert_no_address_in(text: str) -> None:
    for address in [INTERNATIONAL, "jösé", "j=C3=B6s", *GOOD]:
        assert address not in text, address


def test_one_international_address_stops_no_neighbours_confirmation(
    client, smtp_sink, caplog, capsys
):
    caplog.set_level("DEBUG")
    sign_sixteen_around_one_international_address(client)
    send_and_retry()

    assert sorted(smtp_sink.recipients) == sorted(GOOD), "each neighbour exactly once"
    assert confirm_every_link(client, smtp_sink) == 16
    assert Signature.objects.filter(confirmed_at__isnull=False).count() == 16
    bad = Signature.objects.get(email=INTERNATIONAL)
    # This server offers no SMTPUTF8: the row fails at once, with its reason, still owed.
    assert (bad.email_failure, bad.email_due) == (Failure.SMTPUTF8, EmailDue.CONFIRMATION)
    assert bad.email_failed_at is not None and bad.email_next_attempt_at is None
    assert_no_address_in(our_logs(caplog) + "".join(capsys.readouterr()))


def test_a_server_offering_smtputf8_delivers_the_international_address(
    client, smtputf8_sink, caplog
):
    caplog.set_level("DEBUG")
    sign_sixteen_around_one_international_address(client)
    send_and_retry()

    assert sorted(smtputf8_sink.recipients) == sorted([*GOOD, INTERNATIONAL])
    # RFC 6531: the header carries the address in UTF-8, as the envelope does.
    to_header = f"To: {INTERNATIONAL}".encode()
    assert [to_header in raw for raw in smtputf8_sink.raw].count(True) == 1
    assert confirm_every_link(client, smtputf8_sink) == 17
    assert not Signature.objects.filter(email_due=EmailDue.CONFIRMATION).exists()
    assert_no_address_in(our_logs(caplog))


def test_a_refused_recipient_fails_alone_with_its_reason(client, smtp_sink, caplog):
    caplog.set_level("DEBUG")
    smtp_sink.refuse.add(GOOD[3])
    petition = make_petition()
    for email in GOOD[:6]:
        client.post(f"/petitions/{petition.slug}/sign/", sign_form_data(email=email))
    send_and_retry()

    assert sorted(smtp_sink.recipients) == sorted(GOOD[:3] + GOOD[4:6])
    refused = Signature.objects.get(email=GOOD[3])
    assert refused.email_failure == Failure.REFUSED and refused.email_failed_at is not None
    assert refused.email_attempts == 1, "a 5xx answer is final: not retried"
    assert_no_address_in(our_logs(caplog))


def test_a_message_that_cannot_be_built_fails_only_its_row(client, smtp_sink, monkeypatch):
    from undersigned.signatures import emails

    petition = make_petition()
    for email in GOOD[:4]:
        client.post(f"/petitions/{petition.slug}/sign/", sign_form_data(email=email))
    broken = Signature.objects.get(email=GOOD[1]).pk
    build = emails._message_for

    def build_or_break(signature):
        if signature.pk == broken:
            raise RuntimeError(f"template broke for {signature.email}")
        return build(signature)

    monkeypatch.setattr(emails, "_message_for", build_or_break)
    send_due_emails()
    assert sorted(smtp_sink.recipients) == sorted([GOOD[0], GOOD[2], GOOD[3]])
    row = Signature.objects.get(pk=broken)
    assert (row.email_failure, row.email_attempts) == (Failure.BUILD, 1)
    assert row.email_next_attempt_at is not None
    assert row.email_next_attempt_at > timezone.now(), "retried later, like any failure"


@pytest.mark.django_db(transaction=True)
def test_the_worker_process_sends_around_the_bad_row_and_logs_no_address(
    client, smtp_sink, start_worker, tmp_path
):
    sign_sixteen_around_one_international_address(client)
    log = tmp_path / "worker.log"
    with log.open("w") as stderr:
        worker = start_worker(email_url=smtp_sink.url, tick=0.3, stderr=stderr)
        smtp_sink.wait_for(16, timeout=30)
        deadline = time.monotonic() + 15
        while Signature.objects.filter(email_failed_at=None, email=INTERNATIONAL).exists():
            assert time.monotonic() < deadline, "the bad row is marked failed"
            time.sleep(0.2)
        time.sleep(1.5)  # a few more ticks: nothing is sent twice, nothing more is logged
        worker.terminate()
        worker.wait(timeout=10)
    assert sorted(smtp_sink.recipients) == sorted(GOOD)
    logged = log.read_text()
    assert "signature emails: 16 sent, 1 not sent" in logged
    assert_no_address_in(logged)
    assert "Traceback" not in logged
