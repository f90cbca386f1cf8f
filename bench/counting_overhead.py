"""What the history and the milestone check add to the counting job (issue 12).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/undersigned_counting_bench \\
        .venv/bin/python -m bench.counting_overhead

Times `count_new_confirmations` on batches of 5,000 confirmed signatures (20 countries, over
the last three hours, as a surge leaves them), and within it the time spent in
`history.record_batch_in_history_and_milestones` (one upsert of the batch's (petition, hour,
country) rows, grouped once for the counters and the history alike; one milestone UPDATE).
`make bench` gives the end-to-end figures (confirm-to-count lag).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from datetime import timedelta

ROUNDS = 6
BATCH = 5_000
COUNTRIES = ["GB", "US", "DE", "AU", "FR", "ES", "IT", "MX", "BR", "CA",
             "NL", "SE", "AR", "EC", "IE", "CH", "AT", "BE", "NZ", "PL"]  # fmt: skip


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "undersigned.config.settings")
    os.environ.setdefault("SECRET_KEY", "counting-bench-" + "x" * 32)
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("counting_overhead: set DATABASE_URL to a PostgreSQL database of its own")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from undersigned.signatures import history

    petition = _petition()
    original = history.record_batch_in_history_and_milestones
    inside: list[float] = []

    def timed(ids, now):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        original(ids, now)
        inside.append((time.perf_counter() - started) * 1000)

    history.record_batch_in_history_and_milestones = timed  # type: ignore[assignment]
    totals = []
    for round_ in range(ROUNDS):
        _seed(petition, round_)
        totals.append(_count_one_batch())
    history.record_batch_in_history_and_milestones = original  # type: ignore[assignment]
    print(f"count_new_confirmations, batch of {BATCH:,}: median {statistics.median(totals):.0f} ms"
          f" (runs: {', '.join(f'{v:.0f}' for v in totals)})")  # fmt: skip
    print(f"  of which history and milestones: median {statistics.median(inside):.1f} ms "
          f"(runs: {', '.join(f'{v:.1f}' for v in inside)})")  # fmt: skip


def _petition():  # type: ignore[no-untyped-def]
    from undersigned.campaigns.services import upsert_case, upsert_organisation
    from undersigned.petitions.models import Milestone, PetitionStatus
    from undersigned.petitions.services import upsert_petition
    from undersigned.signatures.models import Signature

    organisation = upsert_organisation(slug="counting-bench", name="Counting bench")
    case = upsert_case(organisation, "counting-bench", is_published=True, title_en="Bench")
    petition = upsert_petition(
        case, "counting-bench", title_en="Counting bench", target_en="Someone",
        demand_en="Something", goal=10_000_000, status=PetitionStatus.OPEN, closes_at=None,
    )  # fmt: skip
    Signature.objects.filter(petition=petition).delete()
    for count in (10_000_000, 20_000_000):  # not reached: the check runs every batch
        Milestone.objects.get_or_create(petition=petition, count=count)
    return petition


def _seed(petition, round_: int) -> None:  # type: ignore[no-untyped-def]
    from django.utils import timezone

    from undersigned.signatures.models import Signature

    now = timezone.now()
    Signature.objects.bulk_create(
        [
            Signature(
                petition=petition, name="Bench", email=f"b{round_}-{n}@example.invalid",
                email_normalised=f"b{round_}-{n}@example.invalid",
                country=COUNTRIES[n % len(COUNTRIES)],
                confirmed_at=now - timedelta(minutes=n % 180),
                confirmation_key=f"bench-{round_}-{n}", confirmation_expires_at=now,
            )
            for n in range(BATCH)
        ],
        batch_size=1_000,
    )  # fmt: skip


def _count_one_batch() -> float:
    from undersigned.signatures.services import count_new_confirmations

    started = time.perf_counter()
    taken = count_new_confirmations(batch_size=BATCH)
    elapsed = (time.perf_counter() - started) * 1000
    assert taken == BATCH, taken
    return elapsed


if __name__ == "__main__":
    main()
