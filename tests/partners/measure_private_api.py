"""How long the private API takes: recording signatures, and listing 10,000 with personal
data in pages of 500. Not part of the suite (not a test_ file); run it by hand:

    .venv/bin/python -m pytest tests/partners/measure_private_api.py -s -q -p no:cacheprovider

(with DATABASE_URL=postgres://… for PostgreSQL). Numbers: docs/integrations.md.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.factories import make_petition, make_signatures
from tests.partners.helpers import get, make_key, petition_url, post, signer
from undersigned.signatures.services import count_new_confirmations

pytestmark = pytest.mark.django_db
RECORDED, LISTED, PAGE = 200, 10_000, 500


def test_measure_recording_and_listing(client: Any, settings: Any) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api_requests": (100_000, 60)}
    petition = make_petition()
    key = make_key(petition.case.organisation)
    started = time.perf_counter()
    for n in range(RECORDED):
        body = signer()
        body["person"]["email_addresses"] = [{"address": f"s{n}@example.org"}]
        assert post(client, petition_url(petition, "signatures/"), key, body).status_code == 202
    recording_ms = (time.perf_counter() - started) / RECORDED * 1000
    make_signatures(petition, LISTED)
    count_new_confirmations(batch_size=2 * LISTED)
    started, pages, cursor = time.perf_counter(), 0, None
    while True:
        params: dict[str, Any] = {"limit": PAGE, **({"cursor": cursor} if cursor else {})}
        cursor = get(client, petition_url(petition, "signatures/"), key, **params).json()[
            "next_cursor"
        ]
        pages += 1
        if not cursor:
            break
    page_ms = (time.perf_counter() - started) / pages * 1000
    print(f"\nrecord: {recording_ms:.1f} ms a request ({RECORDED}); "
          f"list: {page_ms:.1f} ms a page of {PAGE} ({pages} pages)")  # fmt: skip
    assert pages == LISTED // PAGE
