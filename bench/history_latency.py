"""How long /api/v1/petitions/<slug>/history/ takes uncached, for a petition with 1,000,000
signatures over two years (issue 12: < 50 ms).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/undersigned_history_bench \\
        .venv/bin/python -m bench.history_latency

The history is read from the hourly table only, so the measurement seeds that table (and the
per-country counters) directly, as two years of counting would have left them: one row per
hour for all countries and one per hour and country that signed in it. Each request runs with
every cache emptied first (the petition lookup included), through Django's whole stack.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta

SIGNATURES = 1_000_000
HOURS = 2 * 365 * 24
COUNTRIES = ["GB", "US", "DE", "AU", "FR", "ES", "IT", "MX", "BR", "CA", "NL", "SE", "AR", "EC"]
WEIGHTS = [16, 14, 12, 10, 7, 6, 5, 4, 4, 4, 3, 3, 3, 3]
SLUG = "history-bench"
REQUESTS = 50


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "undersigned.config.settings")
    os.environ.setdefault("SECRET_KEY", "history-bench-" + "x" * 32)
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("history_latency: set DATABASE_URL to a PostgreSQL database of its own")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    petition = seed()
    measure(petition)


def seed():  # type: ignore[no-untyped-def]
    from django.db import connection, transaction

    from undersigned.campaigns.services import upsert_case, upsert_organisation
    from undersigned.petitions.models import PetitionStatus
    from undersigned.petitions.services import upsert_petition
    from undersigned.signatures.models import HourlyCount, SignatureCount

    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    first_hour = now - timedelta(hours=HOURS - 1)
    organisation = upsert_organisation(slug="history-bench", name="History bench")
    case = upsert_case(organisation, "history-bench", is_published=True, title_en="Bench")
    petition = upsert_petition(
        case, SLUG, title_en="History bench", target_en="Someone", demand_en="Something",
        goal=1_000_000, status=PetitionStatus.OPEN, opens_at=first_hour, closes_at=None,
    )  # fmt: skip
    if HourlyCount.objects.filter(petition=petition).exists():
        return petition
    started = time.monotonic()
    pick = random.Random(12)  # noqa: S311 - synthetic data
    # A share of the signatures per hour: a launch surge, then a long tail with daily waves.
    shares = [
        (3.0 if h < 72 else 1.0)
        * (1.5 + pick.random())
        * (1.3 if (h % 24) in range(8, 22) else 0.4)
        for h in range(HOURS)
    ]
    scale = SIGNATURES / sum(shares)
    per_hour = [int(share * scale) for share in shares]
    per_hour[-1] += SIGNATURES - sum(per_hour)
    rows, by_country = [], dict.fromkeys(COUNTRIES, 0)
    for h, n in enumerate(per_hour):
        hour = first_hour + timedelta(hours=h)
        rows.append(HourlyCount(petition=petition, hour=hour, country="", count=n))
        split = dict.fromkeys(COUNTRIES, 0)
        for country in pick.choices(COUNTRIES, WEIGHTS, k=n) if n < 200 else []:
            split[country] += 1
        if n >= 200:  # a busy hour: split by weight, the rest to the first country
            for country, weight in zip(COUNTRIES, WEIGHTS, strict=True):
                split[country] = n * weight // sum(WEIGHTS)
            split[COUNTRIES[0]] += n - sum(split.values())
        for country, k in split.items():
            if k:
                rows.append(HourlyCount(petition=petition, hour=hour, country=country, count=k))
                by_country[country] += k
    with transaction.atomic():
        HourlyCount.objects.bulk_create(rows, batch_size=5_000)
        SignatureCount.objects.filter(petition=petition).delete()
        SignatureCount.objects.bulk_create(
            SignatureCount(petition=petition, country=c, count=k, updated_at=now)
            for c, k in by_country.items()
        )
    with connection.cursor() as cursor:
        # As autovacuum soon would: the visibility map lets the read be index-only.
        cursor.execute("VACUUM ANALYZE signatures_hourlycount")
    print(f"seeded {len(rows):,} hourly rows ({SIGNATURES:,} signatures, {HOURS:,} hours) "
          f"in {time.monotonic() - started:.1f} s")  # fmt: skip
    return petition


def measure(petition) -> None:  # type: ignore[no-untyped-def]
    from django.core.cache import cache
    from django.test import Client

    client = Client()
    for label, query in [("all countries", {}), ("one country (DE)", {"country": "DE"})]:
        timings = []
        for _ in range(REQUESTS):
            cache.clear()
            started = time.perf_counter()
            response = client.get(f"/api/v1/petitions/{SLUG}/history/", query)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.content[:200]
        body = response.json()
        assert sum(day["count"] for day in body["daily"]) == (
            SIGNATURES if not query else sum(c["count"] for c in body["by_country"]
                                             if c["country"] == "DE")
        )  # fmt: skip
        timings.sort()
        print(
            f"history, {label}, uncached: median {statistics.median(timings):.1f} ms, "
            f"p95 {timings[int(len(timings) * 0.95) - 1]:.1f} ms, max {timings[-1]:.1f} ms "
            f"({REQUESTS} requests; {len(body['daily'])} days, {len(body['hourly'])} hours)"
        )


if __name__ == "__main__":
    main()
