"""An SMTP failure is retried with backoff and never loses the email."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import make_petition, sign_form_data
from tests.fixtures.smtp import free_port
from undersigned.core.outbox import MAX_ATTEMPTS
from undersigned.signatures.emails import send_due_emails
from undersigned.signatures.models import EmailDue, Signature

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp_down(settings):
    """Point the mailer at a port where nothing listens: every connection is refused."""
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
        }
    }


def test_smtp_failure_keeps_the_email_owed_and_backs_off(client, smtp_down):
    petition = make_petition()
    client.post(f"/petitions/{petition.slug}/sign/", sign_form_data())
    assert send_due_emails() == 0
    signature = Signature.objects.get()
    assert signature.email_due == EmailDue.CONFIRMATION
    assert signature.email_attempts == 1
    assert signature.email_next_attempt_at is not None
    assert signature.email_next_attempt_at > timezone.now() + timedelta(seconds=20)
    assert signature.confirmed_at is None


def test_email_goes_out_once_smtp_is_back(client, smtp_down, smtp_sink):
    # smtp_sink is set up after smtp_down, so the mailer now points at the working sink.
    petition = make_petition()
    client.post(f"/petitions/{petition.slug}/sign/", sign_form_data())
    Signature.objects.update(email_attempts=3)  # as after three failed tries
    assert send_due_emails() == 1
    smtp_sink.wait_for(1)
    signature = Signature.objects.get()
    assert signature.email_due == EmailDue.NONE
    assert signature.email_sent_at is not None


def test_after_the_last_retry_the_signature_is_flagged_for_staff(client, smtp_down, admin_client):
    petition = make_petition()
    client.post(f"/petitions/{petition.slug}/sign/", sign_form_data())
    Signature.objects.update(email_attempts=MAX_ATTEMPTS - 1)
    send_due_emails()
    signature = Signature.objects.get()
    assert signature.email_failed_at is not None
    assert signature.email_due == EmailDue.CONFIRMATION  # still owed, never silently dropped
    listing = admin_client.get("/admin/signatures/signature/?email_failed_at__isnull=False")
    assert f"/admin/signatures/signature/{signature.pk}/change/" in listing.content.decode()


def test_a_retry_is_not_sent_before_its_time(client, smtp_sink):
    petition = make_petition()
    client.post(f"/petitions/{petition.slug}/sign/", sign_form_data())
    Signature.objects.update(email_next_attempt_at=timezone.now() + timedelta(minutes=5))
    assert send_due_emails() == 0
    assert smtp_sink.messages == []
