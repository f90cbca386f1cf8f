"""What a scrape of /metrics costs the database, with a backlog (issue 17).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/undersigned_ops \\
        .venv/bin/python -m bench.metrics_scrape [signatures]

Fills a petition with `signatures` signatures (default 200,000): a fifth of them still owe
their confirmation email (due, oldest first), a tenth confirmed but not yet counted, 1% held;
then times `operations.gauges.read_all` (every database-derived number /metrics serves, read
uncached) ten times and prints the median and the largest, and the number of queries.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
import uuid
from datetime import timedelta


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "undersigned.config.settings")
    os.environ.setdefault("SECRET_KEY", "metrics-bench-" + "x" * 32)
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("metrics_scrape: set DATABASE_URL to a PostgreSQL database of its own")
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from tests.factories import make_case, make_organisation, make_petition, make_signatures
    from undersigned.operations.gauges import read_all
    from undersigned.signatures.models import EmailDue, HeldReason, Signature

    call_command("migrate", verbosity=0)
    Signature.objects.all().delete()
    now = timezone.now()
    tag = uuid.uuid4().hex[:8]
    organisation = make_organisation(slug=f"bench-{tag}")
    petition = make_petition(
        slug=f"bench-{tag}", case=make_case(slug=f"bench-{tag}", organisation=organisation)
    )
    ids = make_signatures(petition, total, counted=True)
    fifth, tenth, hundredth = total // 5, total // 10, total // 100
    Signature.objects.filter(pk__in=ids[:fifth]).update(
        confirmed_at=None, email_due=EmailDue.CONFIRMATION,
        email_next_attempt_at=now - timedelta(minutes=10),
    )  # fmt: skip
    Signature.objects.filter(pk__in=ids[fifth : fifth + tenth]).update(counted=False)
    Signature.objects.filter(pk__in=ids[-hundredth:]).update(held_reason=HeldReason.DOMAIN_RATE)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    timings = []
    with CaptureQueriesContext(connection) as queries:
        read_all()
    for _ in range(10):
        started = time.perf_counter()
        read_all()
        timings.append((time.perf_counter() - started) * 1000)
    print(f"{total:,} signatures ({fifth:,} emails due, {tenth:,} to count, {hundredth:,} held):"
          f" read_all {statistics.median(timings):.1f} ms median, {max(timings):.1f} ms max,"
          f" {len(queries)} queries")  # fmt: skip


if __name__ == "__main__":
    main()
