"""Issue 14: leaves per second the counting job appends to a petition's transparency log.

N confirmed signatures are counted by `count_new_confirmations` — counters, the log's
entries and tile nodes, and one signed checkpoint per batch, in one transaction per batch —
and the log is then reconciled with the count. `make bench` runs it after the load
(checks.check_log); alone: `DATABASE_URL=… python -m bench.log_append [N]` (it migrates).
"""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import timedelta
from typing import Any

LEAVES = 20_000


def measure(case: Any, n: int = LEAVES, slug: str = "bench-log") -> dict[str, Any]:
    from django.utils import timezone

    from undersigned.core.linktoken import new_key
    from undersigned.petitions import services as petitions
    from undersigned.petitions.models import PetitionStatus
    from undersigned.signatures.models import Signature
    from undersigned.signatures.services import count_new_confirmations, new_receipt_secret
    from undersigned.transparency.reconcile import reconcile

    now = timezone.now()
    petition = petitions.upsert_petition(
        case, slug, title_en="The log's own petition", target_en="The Minister",
        demand_en="Count me.", goal=n, status=PetitionStatus.OPEN, opens_at=now,
    )  # fmt: skip
    Signature.objects.bulk_create(
        (
            Signature(
                petition=petition, name="Bench Signer", email=f"log{i}@example.org",
                email_normalised=f"log{i}@example.org", country="DE", language="en",
                confirmation_key=new_key(), confirmation_expires_at=now + timedelta(days=7),
                confirmed_at=now, receipt_secret=new_receipt_secret(),
            )
            for i in range(n)
        ),
        batch_size=2000,
    )  # fmt: skip
    started = time.perf_counter()
    while count_new_confirmations():
        pass
    seconds = time.perf_counter() - started
    found = reconcile(petition)
    return {
        "leaves": n, "seconds": round(seconds, 2), "leaves_per_s": round(n / seconds),
        "log_size": found.size, "log_agrees_with_count": found.agrees,
    }  # fmt: skip


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "undersigned.config.settings")
    os.environ.setdefault("SECRET_KEY", "bench-log-append-" + "x" * 40)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from undersigned.campaigns import services as campaigns

    organisation = campaigns.upsert_organisation("bench-log-org", "Bench Log")
    case = campaigns.upsert_case(
        organisation, "bench-log-case", is_published=True,
        title_en="Bench", summary_en="Bench", story_en="Bench",
    )  # fmt: skip
    slug = f"bench-log-{int(time.time())}"
    print(json.dumps(measure(case, int(argv[0]) if argv else LEAVES, slug)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
