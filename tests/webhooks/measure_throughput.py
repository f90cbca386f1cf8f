"""Not part of the suite (run it by name): how fast the worker turns a surge of counted
signatures into signed POSTs to a local receiver.

    .venv/bin/python -m pytest tests/webhooks/measure_throughput.py -s -p no:cacheprovider
"""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from tests.factories import make_case, make_organisation, make_petition, make_signatures
from tests.webhooks.helpers import make_endpoint
from undersigned.signatures.services import count_new_confirmations
from undersigned.webhooks import delivery, events
from undersigned.webhooks.models import Delivery, Event

SIGNATURES = 3_000


@pytest.mark.django_db
def test_measure_deriving_and_sending_a_surge(receiver):
    organisation = make_organisation()
    petition = make_petition(case=make_case(organisation=organisation))
    make_endpoint(organisation, receiver.url, personal_data=True)
    receiver.start()
    make_signatures(petition, SIGNATURES)
    while count_new_confirmations():
        pass
    reverse("signatures:petition", kwargs={"slug": petition.slug})  # the URLconf, loaded once
    started = time.perf_counter()
    while events.derive_events():
        pass
    derived = time.perf_counter() - started
    started = time.perf_counter()
    while delivery.send_batch()[1]:
        pass
    sent = time.perf_counter() - started
    posts = len(receiver.accepted())
    assert Event.objects.count() == SIGNATURES and posts == Delivery.objects.count() <= 33
    print(
        f"\n{SIGNATURES} events: derived in {derived:.2f} s ({SIGNATURES / derived:,.0f}/s), "
        f"sent in {posts} POSTs in {sent:.2f} s ({SIGNATURES / sent:,.0f} events/s, "
        f"{sent / posts * 1000:.0f} ms per POST of 100)"
    )
