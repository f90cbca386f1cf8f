"""Issue 13's "done when", the keys and API part, against the real worker process and a real
SMTP conversation: a partner records a signature with a key, the signer confirms from the
email, the signature is counted and listed; a second organisation's key gets 404 for the
same petition, and a revoked key 401."""

from __future__ import annotations

import re
import time

import pytest

from tests.factories import form_token_data, make_organisation, make_petition
from tests.fixtures.smtp import text_body
from tests.partners.helpers import get, make_key, petition_url, post, signer
from undersigned.partners.models import ApiKey
from undersigned.partners.services import revoke_api_key

CONFIRM_LINK = re.compile(r"https?://[^/\s]+(/confirm/[^/\s]+/)")


@pytest.mark.django_db(transaction=True)
def test_a_partner_records_the_signer_confirms_and_the_crm_lists_it(
    client, smtp_sink, start_worker
):
    petition = make_petition()
    key = make_key(petition.case.organisation, name="Riverside NGO")
    start_worker(email_url=smtp_sink.url, tick=0.5)

    recorded = post(client, petition_url(petition, "signatures/"), key, signer())
    assert recorded.status_code == 202

    message = smtp_sink.wait_for(1, timeout=30)[0]
    link = CONFIRM_LINK.search(text_body(message))
    assert link, "the signer got the same confirmation email as from the web form"
    assert client.post(link.group(1), form_token_data()).status_code == 303

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        listed = get(client, petition_url(petition, "signatures/"), key).json()["signatures"]
        if listed:
            break
        time.sleep(0.3)
    assert [s["person"]["email_addresses"][0]["address"] for s in listed] == ["ada@example.org"]
    while get(client, petition_url(petition), key).json()["total_signatures"] != 1:
        assert time.monotonic() < deadline, "the worker did not count the confirmation"
        time.sleep(0.3)

    other = make_key(make_organisation(), name="Another NGO")
    assert get(client, petition_url(petition), other).status_code == 404
    assert get(client, petition_url(petition, "signatures/"), other).status_code == 404

    revoke_api_key(ApiKey.objects.get(name="Riverside NGO"), acting_user=None)
    assert get(client, petition_url(petition, "signatures/"), key).status_code == 401
