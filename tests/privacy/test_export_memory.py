"""A big export streams: peak memory stays flat whether it has 10,000 rows or 100,000."""

import time
import tracemalloc

import pytest

from tests.factories import make_case, make_organisation, make_petition, make_staff
from tests.privacy.helpers import add_many_signatures
from tests.sign_in import sign_in
from undersigned.audit.models import AuditAction, AuditLogEntry
from undersigned.campaigns.models import Role

pytestmark = pytest.mark.django_db

# The 100,000-row peak may exceed the 10,000-row peak by half, plus this much, and no more.
ALLOWED_GROWTH = 1.5
ALLOWED_SLACK_BYTES = 256 * 1024


def peak_while_downloading(client, url) -> tuple[int, int]:
    """(peak bytes allocated while the body streams, bytes received)."""
    response = client.get(url)
    received = 0
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        for chunk in response.streaming_content:
            received += len(chunk)  # the test client closes the response after the last
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, received


def test_exporting_100000_signers_takes_no_more_memory_than_10000(client):
    organisation = make_organisation()
    petition = make_petition(case=make_case(organisation=organisation))
    sign_in(client, make_staff(organisation, Role.DATA_OFFICER))
    url = f"/staff/petitions/{petition.slug}/export/signatures.csv?with_email=1"

    add_many_signatures(petition, 10_000)
    started = time.monotonic()
    peak_10k, size_10k = peak_while_downloading(client, url)
    add_many_signatures(petition, 90_000)
    peak_100k, size_100k = peak_while_downloading(client, url)
    seconds = time.monotonic() - started

    print(
        f"\nexport peak memory: 10,000 rows {peak_10k / 1024:.0f} KiB "
        f"({size_10k / 1024:.0f} KiB of CSV); 100,000 rows {peak_100k / 1024:.0f} KiB "
        f"({size_100k / 1024:.0f} KiB of CSV); {seconds:.1f} s"
    )
    finished = AuditLogEntry.objects.filter(action=AuditAction.EXPORT_FINISHED).order_by("id")
    counts = list(finished.values_list("row_count", flat=True))
    assert counts == [10_000, 100_000]
    assert size_100k > 9 * size_10k
    assert peak_100k < ALLOWED_GROWTH * peak_10k + ALLOWED_SLACK_BYTES
