"""Issue 13: importing N paper signatures — preview (read, check, store, find duplicates) and
apply (count) — with the time each takes and the peak memory Python allocated meanwhile.

The file is written to disk first, row by row, as staff would upload it: names, one address
in three left empty, one row in fifty with a bad address, one in a hundred repeating an
earlier row, and 1% of the addresses already signed online. Alone:
`DATABASE_URL=… python -m bench.paper_import [N …]` (it migrates): first each N timed, then
each N again with tracemalloc for its peak; several N show whether the peak stays flat as the
file grows (docs/paper.md).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
import tracemalloc
from datetime import timedelta
from typing import Any

ROWS = 100_000
COUNTRIES = ["DE", "FR", "ES", "GB", "US", "BR", "IN", "KE", "AU", "MX"]


def write_file(path: str, n: int) -> int:
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write("name,email,country\r\n")
        for i in range(n):
            if i % 50 == 7:
                email = f"broken{i}.example.org"
            elif i % 100 == 3 and i > 100:
                email = f"Signer.{i - 100}@example.org"  # an earlier row, spelled otherwise
            elif i % 3 == 0:
                email = ""
            else:
                email = f"signer.{i}@example.org"
            out.write(f"Paper Signer {i},{email},{COUNTRIES[i % len(COUNTRIES)]}\r\n")
    return os.path.getsize(path)


def measure(case: Any, n: int, slug: str, *, trace: bool = False) -> dict[str, Any]:
    """One import of n rows into a new petition: the seconds, or (`trace`) the peak of what
    Python allocated — tracing every allocation slows the import, so not both at once."""
    from django.utils import timezone

    from undersigned.core.linktoken import new_key
    from undersigned.paper import services
    from undersigned.petitions import services as petitions
    from undersigned.petitions.models import PetitionStatus
    from undersigned.signatures.models import Signature

    now = timezone.now()
    petition = petitions.upsert_petition(
        case, slug, title_en="Paper", target_en="The Minister", demand_en="Count me.",
        goal=n, status=PetitionStatus.OPEN, opens_at=now,
    )  # fmt: skip
    online = [i for i in range(n) if i % 100 == 1]  # these addresses also signed online
    Signature.objects.bulk_create(
        (Signature(petition=petition, name="Online", email=f"signer.{i}@example.org",
                   email_normalised=f"signer.{i}@example.org", country="DE",
                   confirmation_key=new_key(), confirmation_expires_at=now + timedelta(days=7),
                   confirmed_at=now) for i in online),
        batch_size=2000,
    )  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "paper.csv")
        size = write_file(path, n)
        if trace:
            tracemalloc.start()
        started = time.perf_counter()
        with open(path, "rb") as upload:
            batch = services.preview_import(
                petition, upload, size, sheet_reference="bench", acting_user=None
            )
        previewed = time.perf_counter()
        outcome = services.apply_batch(
            batch, token=batch.token, expected=batch.accepted_count, acting_user=None
        )
        applied = time.perf_counter()
        peak = tracemalloc.get_traced_memory()[1] if trace else 0
        tracemalloc.stop()
    if trace:
        return {"rows": n, "peak_python_kib": peak // 1024}
    return {
        "rows": n, "file_mb": round(size / 1e6, 2), "outcome": outcome.value,
        "accepted": batch.accepted_count, "duplicates": batch.duplicate_count,
        "rejected": batch.rejected_count, "preview_s": round(previewed - started, 2),
        "apply_s": round(applied - previewed, 2), "total_s": round(applied - started, 2),
    }  # fmt: skip


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "undersigned.config.settings")
    os.environ.setdefault("SECRET_KEY", "bench-paper-import-" + "x" * 40)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from undersigned.campaigns import services as campaigns

    organisation = campaigns.upsert_organisation("bench-paper-org", "Bench Paper")
    case = campaigns.upsert_case(
        organisation, "bench-paper-case", is_published=True,
        title_en="Bench", summary_en="Bench", story_en="Bench",
    )  # fmt: skip
    sizes = [int(arg) for arg in argv] or [ROWS]
    for trace in (False, True):
        for n in sizes:
            slug = f"bench-paper-{n}-{'m' if trace else 't'}-{int(time.time())}"
            print(json.dumps(measure(case, n, slug, trace=trace)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
