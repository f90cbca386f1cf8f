"""Sending deliveries: core/outbox.py's leasing, drain and backoff, with an HTTP POST per row.

- Leasing (`outbox.lease_due`): a batch of due deliveries, under SELECT … FOR UPDATE SKIP
  LOCKED, for as long as the batch's requests may take; a late write of a worker that lost its
  lease misses (`outbox.still_leased`).
- Backoff per endpoint, not per row: a failed POST sets the endpoint's `retry_at`
  (`outbox.retry_delay`: 30 s doubling to an hour, or the receiver's Retry-After, capped at an
  hour), and no other delivery of that endpoint is tried before it — a receiver that is down
  gets one request per step, however many deliveries wait; the first success releases them
  all. So nothing is lost while it is down, and when it comes back each delivery is sent once.
- An endpoint failing for WEBHOOK_DISABLE_AFTER_HOURS (24) is disabled, and its admins are
  emailed (`notices.py`); one answering 410 Gone is disabled at once. Its deliveries wait,
  and go when it is enabled again. A single delivery that fails that long while others get
  through is given up (staff can redeliver it).
- Tests (the "send test" button) go to disabled endpoints too, once, and never count as
  the endpoint failing.
- The log is kept WEBHOOK_KEEP_DAYS (30): `prune_log` deletes older deliveries (but those
  still due to an enabled endpoint) and the events no delivery names.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from undersigned.core import outbox
from undersigned.webhooks import notices, payloads, signing, transport
from undersigned.webhooks.models import Delivery, DisabledReason, Endpoint, Event, Failure

logger = logging.getLogger(__name__)

BATCH_SIZE = 10  # deliveries leased at once; each may take the timeout
GONE = 410
MAX_RETRY_AFTER = 3600


def owed(now: datetime) -> QuerySet[Delivery]:
    """Deliveries that may be tried now: of an enabled endpoint not backing off, or tests."""
    ready = Endpoint.objects.filter(enabled=True).filter(
        Q(retry_at__isnull=True) | Q(retry_at__lte=now)
    )
    return Delivery.objects.filter(next_attempt_at__isnull=False).filter(
        Q(is_test=True) | Q(endpoint_id__in=ready.values("pk"))
    )


def send_due(time_budget_s: float = 20.0) -> int:
    """Send due deliveries in batches until none are due or the budget is spent."""
    return outbox.drain(send_batch, BATCH_SIZE, time_budget_s)


def send_batch() -> tuple[int, int]:
    """Lease one batch and send it; (deliveries delivered, rows leased)."""
    now = timezone.now()
    lease = BATCH_SIZE * (settings.WEBHOOK_TIMEOUT_SECONDS + 5)
    ids, lease_until = outbox.lease_due(
        owed(now), due_field="next_attempt_at", batch_size=BATCH_SIZE, now=now,
        lease_seconds=lease,
    )  # fmt: skip
    if not ids:
        return 0, 0
    ours = outbox.still_leased(Delivery, ids, due_field="next_attempt_at", lease_until=lease_until)
    delivered, failing = 0, set()
    for row in ours.select_related("endpoint").order_by("created_at", "id"):
        if row.endpoint_id in failing and not row.is_test:
            _wait_for_endpoint(row, lease_until)  # the endpoint just failed: not again now
            continue
        answer = attempt(row)
        _record(row, answer, lease_until)
        if answer.delivered:
            delivered += 1
        elif not row.is_test:
            failing.add(row.endpoint_id)
    return delivered, len(ids)


def attempt(row: Delivery) -> transport.Answer:
    endpoint = row.endpoint
    try:
        body = payloads.body_for(row, endpoint)
    except Exception as error:  # a bug or missing data: this row only
        logger.warning("webhooks: delivery %s could not be built (%s)", row.pk,
                       type(error).__name__)  # fmt: skip
        return transport.Answer(failure=Failure.BUILD)
    timestamp = int(time.time())
    secrets_ = [endpoint.secret]
    until = endpoint.previous_secret_until
    if endpoint.previous_secret and until is not None and until > timezone.now():
        secrets_.append(endpoint.previous_secret)  # for a day after a rotation
    headers = signing.headers(secrets_, payloads.message_id(row), timestamp, body)
    return transport.post(endpoint.url, body, headers)


def _ours(row: Delivery, lease_until: datetime):
    return outbox.still_leased(
        Delivery, [row.pk], due_field="next_attempt_at", lease_until=lease_until
    )


def _wait_for_endpoint(row: Delivery, lease_until: datetime) -> None:
    retry_at = Endpoint.objects.filter(pk=row.endpoint_id).values_list("retry_at", flat=True)
    _ours(row, lease_until).update(next_attempt_at=retry_at.get() or timezone.now())


def _record(row: Delivery, answer: transport.Answer, lease_until: datetime) -> None:
    now = timezone.now()
    seen = {
        "attempts": F("attempts") + 1, "last_attempt_at": now,
        "response_status": answer.status, "response_excerpt": answer.excerpt,
    }  # fmt: skip
    with transaction.atomic():
        if answer.delivered:
            updated = _ours(row, lease_until).update(
                next_attempt_at=None, delivered_at=now, failure="", first_failed_at=None, **seen
            )
            if updated and not row.is_test:
                Endpoint.objects.filter(pk=row.endpoint_id).update(
                    consecutive_failures=0, failing_since=None, retry_at=None
                )
            return
        if row.is_test:
            _ours(row, lease_until).update(
                next_attempt_at=None, failed_at=now, failure=answer.failure, **seen
            )
            return
        endpoint = Endpoint.objects.select_for_update().get(pk=row.endpoint_id)
        failures = endpoint.consecutive_failures + 1
        delay = outbox.retry_delay(failures, settings.WEBHOOK_RETRY_SECONDS)
        if answer.retry_after:
            delay = max(delay, timedelta(seconds=min(answer.retry_after, MAX_RETRY_AFTER)))
        retry_at = now + delay
        first_failed = row.first_failed_at or now
        too_long = timedelta(hours=settings.WEBHOOK_DISABLE_AFTER_HOURS)
        give_up = first_failed <= now - too_long and endpoint.failing_since is None
        _ours(row, lease_until).update(
            next_attempt_at=None if give_up else retry_at, failed_at=now if give_up else None,
            failure=answer.failure, first_failed_at=first_failed, **seen,
        )  # fmt: skip
        endpoint.consecutive_failures = failures
        endpoint.failing_since = endpoint.failing_since or now
        endpoint.retry_at = retry_at
        endpoint.save(update_fields=["consecutive_failures", "failing_since", "retry_at"])
        if answer.status == GONE:
            disable(endpoint, DisabledReason.GONE)
        elif endpoint.failing_since <= now - too_long:
            disable(endpoint, DisabledReason.FAILING)


def disable(endpoint: Endpoint, reason: str) -> None:
    """The worker's decision (not a person's): stop sending, tell the admins, audit it."""
    if not endpoint.enabled:
        return
    Endpoint.objects.filter(pk=endpoint.pk).update(enabled=False, disabled_reason=reason)
    endpoint.enabled, endpoint.disabled_reason = False, reason
    notices.endpoint_disabled(endpoint)
    logger.warning("webhooks: endpoint %s disabled (%s)", endpoint.pk, reason)


PRUNE_CHUNK = 5000


def prune_log(now: datetime | None = None) -> int:
    """Delete deliveries older than WEBHOOK_KEEP_DAYS — delivered, given up, or waiting for a
    disabled endpoint — and the events no delivery names any more; returns deliveries deleted.
    A delivery still due to an enabled endpoint is kept whatever its age."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.WEBHOOK_KEEP_DAYS)
    old = Delivery.objects.filter(created_at__lt=cutoff).exclude(
        next_attempt_at__isnull=False, endpoint__enabled=True
    )
    deleted = 0
    while ids := list(old.values_list("id", flat=True)[:PRUNE_CHUNK]):
        Delivery.objects.filter(id__in=ids).delete()
        deleted += len(ids)
    orphans = Event.objects.filter(created_at__lt=cutoff, deliveries__isnull=True)
    while ids := list(orphans.values_list("id", flat=True)[:PRUNE_CHUNK]):
        Event.objects.filter(id__in=ids).delete()
    return deleted
