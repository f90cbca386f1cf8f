"""The whole journey, against the real worker process and a real SMTP conversation."""

import re
import time

import pytest
from django.conf import settings

from tests.factories import form_token_data, make_petition, sign_form_data
from tests.fixtures.smtp import text_body
from undersigned.signatures.models import Signature

# The shown count may lag confirmation by the worker's tick plus the count cache.
STATED_LAG_S = 10


@pytest.mark.django_db(transaction=True)
def test_sign_email_link_get_does_not_confirm_post_does_and_count_rises_by_one(
    client, smtp_sink, start_worker
):
    petition = make_petition(goal=10)
    start_worker(email_url=smtp_sink.url, tick=0.5)
    count_url = f"/petitions/{petition.slug}/count.json"
    before = client.get(count_url).json()["signature_count"]

    response = client.post(f"/petitions/{petition.slug}/sign/", sign_form_data())
    assert response.status_code == 303

    message = smtp_sink.wait_for(1, timeout=30)[0]
    link = re.search(r"https?://[^/\s]+(/confirm/[^/\s]+/)", text_body(message))
    assert link, "the email carries a confirmation link"
    path = link.group(1)

    assert client.get(path).status_code == 200
    time.sleep(1.5)  # give a wrongly-confirming GET every chance to show up in the count
    assert Signature.objects.get().confirmed_at is None

    confirmed_at = time.monotonic()
    assert client.post(path, form_token_data()).status_code == 303
    while True:
        count = client.get(count_url).json()["signature_count"]
        lag = time.monotonic() - confirmed_at
        if count != before or lag > STATED_LAG_S:
            break
        time.sleep(0.2)
    assert count == before + 1, f"count did not rise within {STATED_LAG_S}s"
    assert lag <= STATED_LAG_S
    print(f"\nmeasured count lag: {lag:.2f}s (cache {settings.COUNT_CACHE_SECONDS}s)")
