"""Issue 13's end-to-end test, the webhook part: a partner records a signature with its key,
the signer confirms from the email, and a webhook receiver — a real local server — gets
`signature.confirmed` with a valid Standard Webhooks signature; all through the real
`undersigned worker` process. A second organisation's key gets 404 for the petition, a revoked
key 401."""

from __future__ import annotations

import re
import time

import pytest

from tests.factories import form_token_data, make_case, make_organisation, make_petition
from tests.fixtures.smtp import text_body
from tests.partners.helpers import get, make_key, petition_url, post, signer
from tests.webhooks.helpers import make_endpoint
from undersigned.core.opaque_ids import opaque_id
from undersigned.partners.models import ApiKey
from undersigned.partners.services import revoke_api_key
from undersigned.signatures.models import Signature
from undersigned.webhooks import signing

CONFIRM_LINK = re.compile(r"/confirm/([^/\s]+)/")


def wait_until(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the worker did not get there in time"
        time.sleep(0.2)


@pytest.mark.django_db(transaction=True)
def test_a_partners_signature_confirmed_by_email_reaches_the_webhook_signed(
    client, receiver, admins_mailbox, start_worker, monkeypatch
):
    organisation = make_organisation(name="Riverside Watch")
    petition = make_petition(case=make_case(organisation=organisation))
    key = make_key(organisation)
    endpoint = make_endpoint(organisation, receiver.url, personal_data=True)
    receiver.start()
    monkeypatch.setenv("WEBHOOK_LOCAL_RECEIVERS", "true")  # for the worker process
    start_worker(email_url=admins_mailbox.url, tick=0.5)

    assert post(client, petition_url(petition, "signatures/"), key, signer()).status_code == 202
    message = admins_mailbox.wait_for(1)[0]  # the worker sent the confirmation email
    token = CONFIRM_LINK.search(text_body(message)).group(1)  # type: ignore[union-attr]
    assert client.post(f"/confirm/{token}/", form_token_data()).status_code == 303

    wait_until(lambda: receiver.accepted())
    (request,) = receiver.accepted()
    assert signing.verify(endpoint.secret, request.headers, request.body, now=request.received_at)
    (item,) = request.items
    signature = Signature.objects.get()
    assert item["type"] == "signature.confirmed"
    assert item["osdi:signature"]["identifiers"] == [
        f"undersigned:{opaque_id('signature', signature.pk)}"
    ]
    assert item["osdi:signature"]["person"]["email_addresses"][0]["address"] == "ada@example.org"

    theirs = make_key(make_organisation(name="Another NGO"))
    assert get(client, petition_url(petition), theirs).status_code == 404
    revoke_api_key(ApiKey.objects.filter(organisation=organisation).get(), acting_user=None)
    assert get(client, petition_url(petition), key).status_code == 401
