"""Sending a mailing: throttled, resumable, each signer once.

One chain of `send_update_mailing` tasks sends a mailing: each run holds the mailing (its
`runner` token and `lease_until`), sends for at most SLICE_SECONDS — one message every
60/per_minute seconds, and never more than `per_minute` in the last 60 s by the database's
own count — then enqueues the next run for when the next message is due. Short runs keep the
single worker free for confirmations and counting in between.

Exactly once, and the one window where it is not:

- A delivery row is leased (SELECT … FOR UPDATE SKIP LOCKED, then `lease` and a
  `next_attempt_at` in the future) just before its message is sent, one row at a time.
- The moment the SMTP server accepts the message (its 250 reply to DATA), `sent_at` is
  written and committed on its own, before the next row is touched. A sent row is never
  leased again, so a restart never repeats what was committed.
- A worker killed *before* the server's 250 leaves the row unsent: the server has not taken
  the message, and the row is sent again once its lease expires. That is the in-flight
  message the kill test interrupts.
- A worker killed *between* the 250 and that commit (or an SMTP connection lost while the
  server's 250 was on its way) leaves a message delivered but not recorded; it is sent again
  after the lease expires. This window — one message, a few milliseconds of one UPDATE — is
  the only way a signer can get an update twice. SMTP offers nothing to close it.
- A lease lasts MESSAGE_BOUND (a few SMTP timeouts) so a dead worker's row comes back soon;
  a sender whose lease ran out before it could record the send logs a warning.

What one row's failure means (for good, retry, or the connection is gone), SMTPUTF8 for
international addresses, and the reason code stored on the row are core/outbox.py's
`deliver`, as for every outbox. The loop itself stays here: it leases one row at a time under
the mailing's claim and paces by the clock, where core's loop leases a batch and sends it.
"""

from __future__ import annotations

import logging
import math
import secrets
import smtplib
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.mail import mailers
from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone

from undersigned.core.outbox import Failed, Failure, deliver
from undersigned.mailings.emails import mailing_email
from undersigned.mailings.models import PENDING, MailingStatus, UpdateDelivery, UpdateMailing
from undersigned.mailings.selectors import MAILING_RELATED

logger = logging.getLogger(__name__)

SLICE_SECONDS = 3.0
WINDOW = timedelta(seconds=60)
MAX_ATTEMPTS = 5
RETRY_AFTER_CONNECTION_FAILURE = timedelta(seconds=30)
# How late a queued run may start (the worker busy with other tasks) before its chain counts
# as lost and the resumer starts another.
CHAIN_GRACE = timedelta(seconds=60)


def send_interval(per_minute: int) -> float:
    """Seconds between two messages of a mailing sent at `per_minute`."""
    return 60.0 / max(1, per_minute)


def messages_allowed(per_minute: int, sent_in_last_minute: int) -> int:
    """How many more messages the last 60 s leave room for."""
    return max(0, per_minute - sent_in_last_minute)


def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4, 8 minutes: five attempts span a quarter of an hour."""
    return timedelta(minutes=2 ** max(0, attempts - 1))


def message_bound(connection: Any) -> timedelta:
    """Longest one message may take: a few SMTP round trips at the connection's timeout."""
    timeout = getattr(connection, "timeout", None) or 30
    return timedelta(seconds=3 * float(timeout) + 2)


@dataclass(frozen=True)
class RunResult:
    sent: int
    runner: str
    next_run_at: datetime | None  # None: finished, or another chain holds the mailing


class _LeaseLost(Exception):
    """Another chain took the mailing over (this one was presumed dead)."""


def send_mailing_run(
    mailing_id: int, runner: str, slice_seconds: float = SLICE_SECONDS
) -> RunResult:
    """One run of a mailing's chain: claim it, send what the throttle allows, say when next."""
    connection = mailers.default
    bound = message_bound(connection)
    hold = bound + timedelta(seconds=slice_seconds)
    runner = _claim(mailing_id, runner, hold)
    if not runner:
        return RunResult(0, "", None)
    mailing = UpdateMailing.objects.select_related(*MAILING_RELATED).get(pk=mailing_id)
    now = timezone.now()
    in_window = UpdateDelivery.objects.filter(mailing=mailing, sent_at__gt=now - WINDOW)
    budget = messages_allowed(mailing.per_minute, in_window.count())
    if budget == 0:
        oldest = in_window.aggregate(oldest=Min("sent_at"))["oldest"] or now
        return RunResult(0, runner, oldest + WINDOW)
    interval = send_interval(mailing.per_minute)
    deadline = time.monotonic() + slice_seconds
    next_send = time.monotonic()
    sent = 0
    try:
        with connection:
            while sent < budget and next_send <= deadline:
                time.sleep(max(0.0, next_send - time.monotonic()))
                delivery = _lease_next(mailing, runner, hold, bound)
                if delivery is None:
                    break
                next_send = time.monotonic() + interval
                if not _send_one(connection, mailing, delivery):
                    break  # the connection may be broken: the next run opens a new one
                sent += 1
    except _LeaseLost:
        return RunResult(sent, "", None)
    except (smtplib.SMTPException, OSError):
        logger.warning("mailing %s: could not reach the mail server; will retry", mailing_id)
        return RunResult(sent, runner, timezone.now() + RETRY_AFTER_CONNECTION_FAILURE)
    return _next_step(mailing, runner, sent, max(0.0, next_send - time.monotonic()))


def _claim(mailing_id: int, runner: str, hold: timedelta) -> str:
    """Hold the mailing for this run: ours already, or free (its last holder stopped renewing).
    Returns the runner token now holding it, or "" if another chain does."""
    now = timezone.now()
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    ours = Q(runner=runner) if runner else Q(pk__in=[])
    token = runner or secrets.token_hex(16)
    claimed = UpdateMailing.objects.filter(
        Q(pk=mailing_id, status=MailingStatus.SENDING) & (ours | free)
    ).update(runner=token, lease_until=now + hold)
    return token if claimed else ""


def _lease_next(
    mailing: UpdateMailing, runner: str, hold: timedelta, bound: timedelta
) -> UpdateDelivery | None:
    """Lease the next due delivery to a still-subscribed signer; skip the unsubscribed."""
    while True:
        now = timezone.now()
        lease = secrets.token_hex(16)
        with transaction.atomic():
            renewed = UpdateMailing.objects.filter(
                pk=mailing.pk, runner=runner, status=MailingStatus.SENDING
            ).update(lease_until=now + hold)
            if not renewed:
                raise _LeaseLost
            ids = list(
                UpdateDelivery.objects.filter(PENDING, mailing=mailing, next_attempt_at__lte=now)
                .order_by("next_attempt_at", "id")
                .select_for_update(skip_locked=True)
                .values_list("id", flat=True)[:1]
            )
            if not ids:
                return None
            UpdateDelivery.objects.filter(id=ids[0]).update(
                lease=lease, next_attempt_at=now + bound
            )
        delivery = UpdateDelivery.objects.select_related("signature").get(id=ids[0])
        signature = delivery.signature
        if signature.updates_opt_in and signature.invalidated_at is None:
            return delivery
        UpdateDelivery.objects.filter(id=delivery.pk, lease=lease).update(skipped_at=now, lease="")


def _send_one(connection: Any, mailing: UpdateMailing, delivery: UpdateDelivery) -> bool:
    """Send one message and record the outcome at once. False if the connection is suspect.

    What one row causes (an address Django cannot put on an envelope, a refused recipient, a
    message that cannot be built) fails that row only; core/outbox.py's `deliver` decides.
    """
    try:
        message = mailing_email(mailing, delivery)
    except Exception as error:  # a bug must not stall the mailing: the row fails after MAX_ATTEMPTS
        logger.warning(
            "delivery %s: could not compose the email (%s)", delivery.pk, type(error).__name__
        )
        _record_failure(delivery, Failed(Failure.BUILD))
        return True
    failure = deliver(connection, message)
    if failure is not None:
        _record_failure(delivery, failure)
        return not failure.connection_lost
    recorded = UpdateDelivery.objects.filter(
        id=delivery.pk, lease=delivery.lease, sent_at__isnull=True
    ).update(sent_at=timezone.now(), lease="", attempts=delivery.attempts + 1, failure="")
    if not recorded:
        logger.warning("delivery %s: lease lost while sending; it may go out twice", delivery.pk)
    return True


def _record_failure(delivery: UpdateDelivery, failure: Failed) -> None:
    attempts = delivery.attempts + 1
    now = timezone.now()
    mine = UpdateDelivery.objects.filter(id=delivery.pk, lease=delivery.lease)
    reason = failure.reason.value
    if failure.permanent or attempts >= MAX_ATTEMPTS:
        mine.update(attempts=attempts, failed_at=now, lease="", failure=reason)
    else:
        mine.update(
            attempts=attempts, next_attempt_at=now + retry_delay(attempts), lease="",
            failure=reason,
        )  # fmt: skip
    logger.warning("delivery %s failed (attempt %d, %s)", delivery.pk, attempts, reason)


def _next_step(mailing: UpdateMailing, runner: str, sent: int, wait_s: float) -> RunResult:
    """Finish the mailing if nothing is left, or say when the next run should start."""
    now = timezone.now()
    earliest = UpdateDelivery.objects.filter(PENDING, mailing=mailing).aggregate(
        due=Min("next_attempt_at")
    )["due"]
    if earliest is None:
        UpdateMailing.objects.filter(pk=mailing.pk, runner=runner).update(
            status=MailingStatus.FINISHED, finished_at=now, runner="", lease_until=None
        )
        return RunResult(sent, runner, None)
    paced = now + timedelta(seconds=math.ceil(wait_s * 1000) / 1000)
    return RunResult(sent, runner, max(paced, earliest))


def extend_lease(mailing_id: int, runner: str, until: datetime) -> None:
    """The chain's next run is queued: the mailing stays held until it is due, plus grace."""
    UpdateMailing.objects.filter(pk=mailing_id, runner=runner).update(lease_until=until)


def claim_stalled_mailings(limit: int = 50) -> list[tuple[int, str]]:
    """Mailings still sending whose chain stopped renewing (its worker died): hand each to a
    new runner token. The caller enqueues a run for each."""
    now = timezone.now()
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    stalled = UpdateMailing.objects.filter(free, status=MailingStatus.SENDING)
    claimed = []
    for mailing_id in stalled.values_list("id", flat=True)[:limit]:
        token = secrets.token_hex(16)
        taken = UpdateMailing.objects.filter(free, pk=mailing_id, status=MailingStatus.SENDING)
        if taken.update(runner=token, lease_until=now + CHAIN_GRACE):
            claimed.append((mailing_id, token))
    return claimed
