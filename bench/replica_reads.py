"""What a read replica takes off the primary: the time of each read that core/replica.py
sends to it, for a petition of 100,000 confirmed signatures (docs/scaling.md, "Primary +
replicas").

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/undersigned_replica_bench \\
        .venv/bin/python -m bench.replica_reads

It migrates the database named (its name must contain "bench"), adds one petition with
REPLICA_BENCH_SIGNATURES signatures (100,000), and times each read three times (the median,
in ms, through the same functions the pages call, without the HTTP stack). These are the
statements that leave the primary when DATABASE_REPLICA_URL is set.
"""

from __future__ import annotations

import os
import secrets
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "undersigned.config.settings")
    os.environ.setdefault("SECRET_KEY", "replica-bench-" + "x" * 32)
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres") or "bench" not in url.rsplit("/", 1)[-1]:
        sys.exit("replica_reads: set DATABASE_URL to a PostgreSQL database whose name has 'bench'")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from tests.factories import make_petition, make_signatures
    from undersigned.moderation.selectors import fraud_signals
    from undersigned.privacy.exports.selectors import countries_by_day_rows, signature_rows
    from undersigned.privacy.retention.rules import retention_report
    from undersigned.staff.dashboard import count_dashboard_numbers

    call_command("migrate", "--no-input", verbosity=0)
    count = int(os.environ.get("REPLICA_BENCH_SIGNATURES", "100000"))
    petition = make_petition(slug=f"replica-bench-{secrets.token_hex(3)}")
    started = time.monotonic()
    make_signatures(petition, count)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE signatures_signature")
    print(f"{count:,} signatures made in {time.monotonic() - started:.1f} s")

    def median_ms(read: Callable[[], Any], times: int = 3) -> str:
        taken = []
        for _ in range(times):
            began = time.perf_counter()
            read()
            taken.append((time.perf_counter() - began) * 1000)
        return f"{statistics.median(taken):,.0f} ms"

    reads: dict[str, Callable[[], Any]] = {
        "dashboard (4 aggregates + held; cached 60 s)": lambda: count_dashboard_numbers(petition),
        "fraud signals page": lambda: fraud_signals(petition),
        "retention report": lambda: retention_report(petition),
        "signatures CSV with emails (all rows)": lambda: sum(
            1 for _ in signature_rows(petition, with_email=True)
        ),
        "countries-by-day CSV": lambda: sum(1 for _ in countries_by_day_rows(petition)),
    }
    for name, read in reads.items():
        print(f"| {name} | {median_ms(read)} |")


if __name__ == "__main__":
    main()
