"""After the load, with the server stopped: is every signature there, is none counted twice,
and how long the workers take to deliver the confirmation emails to the sink."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from bench.config import EMAIL_TIMEOUT, EMAIL_WORKERS, EMAILS, TIME_BUDGET, BenchError, log
from bench.phases import LoadPhases
from bench.processes import CpuMeter
from bench.stack import Stack


def check_lost(stack: Stack, load: LoadPhases) -> dict[str, Any]:
    """Every 303 a sign answered must have its row."""
    from undersigned.signatures.models import Signature

    rows = Signature.objects.filter(petition=stack.petition).count()
    return {
        "sign_303": load.sign_303,
        "rows": rows,
        "lost": max(0, load.sign_303 - rows),
        # Requests still in flight when wrk stopped were served but their 303 never read:
        # up to that many rows may have no counted 303. More would be an anomaly.
        "rows_without_counted_303": max(0, rows - load.sign_303),
        "in_flight_at_stop": load.sign_in_flight,
        "anomaly": rows - load.sign_303 > load.sign_in_flight,
    }


def check_double(stack: Stack) -> dict[str, Any]:
    """Once the worker has counted every confirmation, the count equals the confirmed rows."""
    from django.db.models import Sum

    from undersigned.signatures.models import Signature, SignatureCount

    # Nothing owes an email now, so the worker spends this phase counting only.
    Signature.objects.update(email_due="", email_next_attempt_at=None)
    # Held signatures (over a rate limit) wait for a moderator, uncounted by design.
    uncounted = Signature.objects.filter(confirmed_at__isnull=False, counted=False, held_reason="")
    log(f"counting {uncounted.count()} confirmations with the worker")
    started = time.monotonic()
    worker = stack.start_worker()
    try:
        while uncounted.exists():
            if worker.poll() is not None:
                raise BenchError(f"the worker exited with code {worker.returncode}")
            if time.monotonic() - started > 60:
                raise BenchError("the worker left confirmations uncounted after 60 s")
            time.sleep(0.2)
        settled_s = time.monotonic() - started
    finally:
        stack.processes.stop(worker)
    counted = (
        SignatureCount.objects.filter(petition=stack.petition).aggregate(total=Sum("count"))[
            "total"
        ]
        or 0
    )
    confirmed_rows = Signature.objects.filter(
        petition=stack.petition, confirmed_at__isnull=False, invalidated_at__isnull=True
    )
    confirmed = confirmed_rows.filter(held_reason="").count()
    return {
        "counted": counted,
        "confirmed_rows": confirmed,
        "held_rows": confirmed_rows.exclude(held_reason="").count(),
        "double": counted - confirmed,
        "count_settled_s": round(settled_s, 2),
    }


def check_log(stack: Stack) -> dict[str, Any]:
    """Issue 14: the counting job's appends to a transparency log, in leaves per second."""
    from bench.log_append import measure

    log("appending to a transparency log through the counting job")
    return measure(stack.petition.case)


def _owe_confirmation_emails(stack: Stack) -> None:
    """Exactly EMAILS unconfirmed signatures owe their confirmation email, due now."""
    from django.utils import timezone

    from undersigned.core.linktoken import new_key
    from undersigned.signatures.models import EmailDue, Signature

    now = timezone.now()
    pending = Signature.objects.filter(
        petition=stack.petition, confirmed_at__isnull=True, invalidated_at__isnull=True
    )
    missing = EMAILS - pending.count()
    if missing > 0:
        Signature.objects.bulk_create(
            (
                Signature(
                    petition=stack.petition, name="Bench Signer",
                    email=f"bulk{n}@example.org", email_normalised=f"bulk{n}@example.org",
                    country="DE", language="en", confirmation_key=new_key(),
                    confirmation_expires_at=now + timedelta(days=7),
                    email_due=EmailDue.CONFIRMATION, email_next_attempt_at=now,
                )
                for n in range(missing)
            ),
            batch_size=2000,
        )  # fmt: skip
    owed_ids = pending.order_by("id").values("id")[:EMAILS]
    Signature.objects.update(email_due=EmailDue.NONE, email_next_attempt_at=None)
    Signature.objects.filter(id__in=owed_ids).update(
        email_due=EmailDue.CONFIRMATION,
        email_next_attempt_at=now,
        email_attempts=0,
        email_failed_at=None,
    )
    owed = Signature.objects.exclude(email_due=EmailDue.NONE).count()
    if owed != EMAILS:
        raise BenchError(f"{owed} signatures owe an email, not {EMAILS}")


def time_emails(stack: Stack) -> dict[str, Any]:
    """Seconds until the sink has received EMAILS confirmation emails from the workers."""
    from undersigned.signatures.models import EmailDue, Signature

    _owe_confirmation_emails(stack)
    timeout = min(EMAIL_TIMEOUT, TIME_BUDGET - stack.elapsed() - 15)
    if timeout < 10:
        raise BenchError("no time left in the 5-minute budget for the email phase")
    baseline = stack.sink_count()
    log(f"timing {EMAILS} confirmation emails to the sink (timeout {timeout:.0f} s)")
    started = time.monotonic()
    first: float | None = None
    finished: float | None = None
    worker_pids: set[int] = set()
    sink_pids = {stack.sink.pid} if stack.sink else set()
    meter = CpuMeter({"worker": worker_pids, "sink": sink_pids})
    meter.__enter__()
    # One worker process per core, as docs/scaling.md recommends for a surge: the
    # outbox is shared between them with SKIP LOCKED.
    workers = [stack.start_worker() for _ in range(EMAIL_WORKERS)]
    worker_pids.update(worker.pid for worker in workers)
    try:
        while time.monotonic() - started < timeout:
            delivered = stack.sink_count() - baseline
            if delivered and first is None:
                first = time.monotonic() - started
            if delivered >= EMAILS:
                finished = time.monotonic() - started
                break
            for worker in workers:
                if worker.poll() is not None:
                    raise BenchError(f"a worker exited with code {worker.returncode}")
            time.sleep(0.05)
        meter.__exit__()  # up to the last email, before the workers are stopped
    finally:
        for worker in workers:
            stack.processes.stop(worker)
    delivered = stack.sink_count() - baseline
    return {
        "emails": EMAILS,
        "emails_10k_s": round(finished, 2) if finished is not None else None,
        "first_email_s": round(first, 2) if first is not None else None,
        "delivered": delivered,
        "still_owed": Signature.objects.exclude(email_due=EmailDue.NONE).count(),
        "emails_per_s": round(delivered / finished, 1) if finished else None,
        "timed_out": finished is None,
        "timeout_s": round(timeout, 1),
        "cpu": meter.result,
    }
