"""The real `undersigned worker` process applies a queued bulk invalidation."""

from __future__ import annotations

import time

import pytest

from tests.factories import make_case, make_organisation, make_petition, make_signatures, make_staff
from tests.sign_in import sign_in
from undersigned.campaigns.models import Role
from undersigned.signatures.models import Invalidation, InvalidationStatus


@pytest.mark.django_db(transaction=True)
def test_the_worker_process_applies_a_queued_invalidation(client, start_worker):
    petition = make_petition(case=make_case(organisation=make_organisation()))
    sign_in(client, make_staff(petition.case.organisation, Role.MODERATOR))
    make_signatures(petition, 3, domain="bots.example")
    response = client.post(f"/staff/petitions/{petition.slug}/invalidations/new/", {
        "email_domain": "bots.example", "step": "confirm", "reason": "bots", "expected_count": 3,
    })  # fmt: skip
    assert response.status_code == 303
    start_worker(tick=0.5)
    deadline = time.monotonic() + 30
    batch = Invalidation.objects.get()
    while batch.status == InvalidationStatus.QUEUED and time.monotonic() < deadline:
        time.sleep(0.2)
        batch.refresh_from_db()
    assert batch.status == InvalidationStatus.APPLIED and batch.invalidated_count == 3
