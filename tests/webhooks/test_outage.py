"""A receiver down for an hour loses nothing and gets every event once when it comes back —
with a real local HTTP server that refuses connections, then answers 503, then accepts, and
time-machine passing the hour."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from tests.factories import make_case, make_organisation, make_petition, make_signatures
from tests.webhooks.helpers import make_endpoint, worker_round
from undersigned.core.opaque_ids import opaque_id
from undersigned.webhooks import signing
from undersigned.webhooks.models import Delivery, Endpoint, Event

pytestmark = pytest.mark.django_db
START = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)


def test_a_receiver_down_for_an_hour_gets_every_event_once_when_it_is_back(receiver):
    organisation = make_organisation()
    petition = make_petition(case=make_case(organisation=organisation))
    endpoint = make_endpoint(organisation, receiver.url)
    with time_machine.travel(START, tick=False) as clock:
        signed = make_signatures(petition, 250)  # a surge: three POSTs, not 250
        worker_round()  # nothing listens: connection refused
        for minute in range(1, 61):
            if minute == 30:
                receiver.answer = 503
                receiver.start()  # up, but failing
            if minute % 10 == 0:
                signed += make_signatures(petition, 7)  # events keep coming while it is down
            clock.shift(timedelta(minutes=1))
            worker_round()
        assert receiver.accepted() == []
        failing_calls = len(receiver.requests)
        receiver.answer = 200  # back after an hour
        for _minute in range(120):
            clock.shift(timedelta(minutes=1))
            worker_round()
            if not Delivery.objects.filter(next_attempt_at__isnull=False).exists():
                break

    accepted = receiver.accepted()
    items = [item for request in accepted for item in request.items]
    event_ids = [item["id"] for item in items]
    assert len(event_ids) == len(set(event_ids)) == Event.objects.count() == len(signed)
    assert sorted(item["osdi:signature"]["identifiers"][0] for item in items) == sorted(
        f"undersigned:{opaque_id('signature', pk)}" for pk in signed
    )
    for request in accepted:
        assert signing.verify(endpoint.secret, request.headers, request.body,
                              now=request.received_at)  # fmt: skip
    message_ids = [request.headers["webhook-id"] for request in accepted]
    assert len(message_ids) == len(set(message_ids))
    # The endpoint backed off as one: a handful of 503s in half an hour, not one per delivery
    # per minute; and it is healthy again.
    assert failing_calls <= 4
    endpoint = Endpoint.objects.get(pk=endpoint.pk)
    assert endpoint.enabled and endpoint.failing_since is None


def test_a_surge_is_batched_into_posts_of_at_most_the_batch_size(receiver, settings):
    settings.WEBHOOK_BATCH_SIZE = 100
    organisation = make_organisation()
    petition = make_petition(case=make_case(organisation=organisation))
    make_endpoint(organisation, receiver.url)
    receiver.start()
    make_signatures(petition, 500)
    worker_round()
    sizes = sorted(len(request.items) for request in receiver.accepted())
    assert sizes == [100, 100, 100, 100, 100]
