"""Which events reach a receiver, and what they carry: derived from rows already written."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_case, make_organisation, make_petition, make_signature
from tests.webhooks.helpers import make_endpoint, worker_round
from undersigned.core.opaque_ids import opaque_id
from undersigned.petitions.models import Milestone, Outcome
from undersigned.petitions.outcomes import change_outcome
from undersigned.signatures.erasure import erase_signatures_of, withdraw_signature
from undersigned.signatures.invalidation import apply_invalidation
from undersigned.signatures.models import HeldReason, Invalidation, Signature
from undersigned.webhooks.models import Delivery, Event, EventType

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(receiver):
    organisation = make_organisation()
    petition = make_petition(case=make_case(organisation=organisation), goal=1000)
    receiver.start()
    return organisation, petition


def items(receiver) -> list[dict]:
    return [item for request in receiver.accepted() for item in request.items]


def of_type(receiver, event_type: str) -> list[dict]:
    return [item for item in items(receiver) if item["type"] == event_type]


def test_a_confirmed_signature_reaches_an_endpoint_allowed_personal_data_with_it(world, receiver):
    organisation, petition = world
    make_endpoint(organisation, receiver.url, personal_data=True)
    signature = make_signature(petition, name="Ada Lovelace", email="ada@example.org")
    worker_round()
    (item,) = of_type(receiver, EventType.SIGNATURE_CONFIRMED)
    resource = item["osdi:signature"]
    assert resource["identifiers"] == [f"undersigned:{opaque_id('signature', signature.pk)}"]
    assert resource["person"]["given_name"] == "Ada Lovelace"
    assert resource["person"]["email_addresses"] == [{"address": "ada@example.org",
                                                      "primary": True}]  # fmt: skip
    assert resource["undersigned:petition"]["slug"] == petition.slug


def test_an_endpoint_without_personal_data_gets_identifiers_and_dates_only(world, receiver):
    organisation, petition = world
    make_endpoint(organisation, receiver.url, personal_data=False)
    make_signature(petition, name="Ada Lovelace", email="ada@example.org")
    worker_round()
    body = receiver.accepted()[0].body
    assert b"ada@example.org" not in body and b"Lovelace" not in body
    (item,) = of_type(receiver, EventType.SIGNATURE_CONFIRMED)
    assert item["osdi:signature"]["person"] == {"postal_addresses": [{"country": "DE"}]}
    assert item["osdi:signature"]["created_date"].endswith("Z")


def test_a_held_signature_is_announced_only_once_a_moderator_releases_it(world, receiver):
    organisation, petition = world
    make_endpoint(organisation, receiver.url)
    held = make_signature(petition, held_reason=HeldReason.SUBNET_RATE)
    worker_round()
    assert of_type(receiver, EventType.SIGNATURE_CONFIRMED) == []
    Signature.objects.filter(pk=held.pk).update(held_reason="")
    worker_round()
    assert len(of_type(receiver, EventType.SIGNATURE_CONFIRMED)) == 1


def test_an_invalidated_counted_signature_is_announced(world, receiver):
    organisation, petition = world
    make_endpoint(organisation, receiver.url)
    signature = make_signature(petition, email="bot@spam.example", email_domain="spam.example")
    worker_round()
    batch = Invalidation.objects.create(petition=petition, reason="bots",
                                        criteria={"email_domain": "spam.example"})  # fmt: skip
    apply_invalidation(batch.pk)
    worker_round()
    (item,) = of_type(receiver, EventType.SIGNATURE_INVALIDATED)
    assert item["osdi:signature"]["identifiers"] == [
        f"undersigned:{opaque_id('signature', signature.pk)}"
    ]


def test_an_erasure_carries_the_stable_identifier_and_nothing_else(world, receiver):
    organisation, petition = world
    make_endpoint(organisation, receiver.url, personal_data=True)
    signature = make_signature(petition, name="Ada Lovelace", email="ada@example.org")
    worker_round()
    erase_signatures_of("ada@example.org")
    worker_round()
    (item,) = of_type(receiver, EventType.SIGNATURE_ERASED)
    assert item["osdi:signature"] == {
        "identifiers": [f"undersigned:{opaque_id('signature', signature.pk)}"]
    }
    erasure_body = receiver.accepted()[-1].body
    assert b"ada@example.org" not in erasure_body and b"Lovelace" not in erasure_body


def test_a_withdrawn_signature_is_announced_as_erased(world, receiver):
    organisation, petition = world
    make_endpoint(organisation, receiver.url, events=[EventType.SIGNATURE_ERASED])
    signature = make_signature(petition, email="bo@example.org")
    worker_round()
    withdraw_signature(signature.pk, "bo@example.org")
    worker_round()
    assert [item["type"] for item in items(receiver)] == [EventType.SIGNATURE_ERASED]


def test_a_milestone_and_an_outcome_are_announced_once(world, receiver):
    organisation, petition = world
    make_endpoint(organisation, receiver.url)
    Milestone.objects.create(petition=petition, count=2)
    make_signature(petition)
    make_signature(petition)
    worker_round()
    change_outcome(petition, Outcome.WITHDRAWN, acting_user=None)
    worker_round()
    worker_round()  # the overlap re-reads both: still one event each
    (milestone,) = of_type(receiver, EventType.PETITION_MILESTONE)
    assert milestone["undersigned:milestone"]["signatures"] == 2
    (outcome,) = of_type(receiver, EventType.PETITION_OUTCOME)
    assert outcome["undersigned:outcome"]["to"] == Outcome.WITHDRAWN


def test_an_endpoint_gets_only_the_events_it_subscribed_to(world, receiver):
    organisation, petition = world
    make_endpoint(organisation, receiver.url, events=[EventType.PETITION_MILESTONE])
    make_signature(petition)
    worker_round()
    assert receiver.requests == []


def test_another_organisations_signatures_never_reach_our_endpoint(world, receiver):
    organisation, _petition = world
    make_endpoint(organisation, receiver.url)
    theirs = make_petition(case=make_case(organisation=make_organisation()))
    make_signature(theirs)
    worker_round()
    assert receiver.requests == [] and Event.objects.count() == 0


def test_no_event_is_kept_for_an_organisation_without_an_enabled_endpoint(world, receiver):
    organisation, petition = world
    make_endpoint(organisation, receiver.url, enabled=False)
    make_signature(petition)
    worker_round()
    assert Event.objects.count() == 0 and Delivery.objects.count() == 0


def test_counting_a_signature_runs_no_webhook_query(world, receiver):
    """Signing and counting gain no work: the events are read from the log afterwards."""
    organisation, petition = world
    make_endpoint(organisation, receiver.url)
    make_signature(petition)
    from undersigned.signatures.services import count_new_confirmations

    with CaptureQueriesContext(connection) as queries:
        count_new_confirmations()
    assert not [q for q in queries.captured_queries if "webhooks_" in q["sql"]]


def test_a_petition_nobody_listens_to_is_skipped_without_reading_its_log(world, receiver):
    from undersigned.signatures.services import count_new_confirmations
    from undersigned.transparency.models import LogHead
    from undersigned.webhooks.events import derive_from_logs
    from undersigned.webhooks.models import LogCursor

    _organisation, petition = world
    make_signature(petition)
    make_signature(petition)
    count_new_confirmations()
    with CaptureQueriesContext(connection) as queries:
        derive_from_logs()
    size = LogHead.objects.get(petition=petition).size
    assert LogCursor.objects.get(petition=petition).next_index == size
    assert not [q for q in queries.captured_queries if "transparency_logentry" in q["sql"]]
