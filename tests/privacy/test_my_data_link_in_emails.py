"""Every email a signer receives tells them where to see, download or erase their data."""

from __future__ import annotations

import pytest
from django.conf import settings

from tests.factories import make_petition, make_signature, pending
from undersigned.notifications.services import compose_email
from undersigned.signatures.emails import _message_for
from undersigned.signatures.models import EmailDue

pytestmark = pytest.mark.django_db

MY_DATA_URL = f"{settings.SITE_URL}/my-data/"


@pytest.mark.parametrize("due", [EmailDue.CONFIRMATION, EmailDue.ALREADY_SIGNED])
def test_signature_emails_link_to_the_signers_data_page(due):
    signature = make_signature(make_petition(), email_due=due, **pending())

    message = _message_for(signature)

    assert MY_DATA_URL in message.body
    assert f'href="{MY_DATA_URL}"' in str(message.alternatives[0][0])


def test_the_link_is_there_in_the_signers_language():
    message = compose_email(
        "already_signed",
        {"petition": make_petition(), "petition_url": "x"},
        to="a@example.org",
        language="de",
    )

    assert MY_DATA_URL in message.body
    assert "See, download or erase your data" not in message.body  # translated
