"""Every email outbox's send loop: lease due rows, build each message, send them over one
connection, mark sent, back off, give up — deciding for each row on its own.

An outbox is a table whose rows are emails owed (a signature's confirmation, a "manage my
data" link, a public petition's news). A subclass of `Outbox` says which rows are owed and
what each one's message is, in a few lines; `Outbox.send_due` does the rest:

- Leasing. A row is due when its due-time column is at or before now. A worker leases a
  batch by moving that column to the lease's end, inside a SELECT … FOR UPDATE SKIP LOCKED,
  so two workers never take the same row; a row is still ours only while the column holds
  exactly our lease end (a worker that stalls past it loses the row to another, and its late
  writes miss). The lease lasts EMAIL_LEASE_SECONDS (300): a worker killed mid-batch leaves
  its rows to the next worker that long, and the rows it had sent but not yet marked are
  sent again then — at most one batch (`batch_size`) of duplicates per kill.
- Per row. Each message is built and sent on its own (`deliver`): one row whose message
  cannot be built, whose address cannot be put on an envelope, or whose recipient the server
  refuses is marked failed with a short reason code (`Failure`), and every other row of the
  batch is sent exactly once. Rows the server took are marked sent whatever happens later in
  the batch (a `finally`), so no retry sends them again.
- International addresses. A non-ASCII local part (`jösé@example.org`, RFC 6531) goes out
  with SMTPUTF8 when the server offers it in its EHLO; otherwise that row fails with the
  reason `smtputf8`.
- Failures. A temporary one (a 4xx answer such as 421 or 451, a lost connection, a message
  that could not be built) is retried with exponential backoff (`retry_delay`) and, after
  MAX_ATTEMPTS, given up; a 421 also ends the connection (the server is closing it), so the
  batch's other rows wait for their next attempt rather than meet the same answer; a permanent
  one (a 5xx answer, an impossible address) is given up at once. Given up means flagged
  (`failed_field`) with its reason — never silently dropped.
- Logs carry counts, row ids and reason codes only: never an address, never an exception's
  text (Django's own errors quote the address), never a traceback.

Update mailings (mailings/sending.py) are throttled and leased one row at a time under a
mailing-wide claim, so they keep their own loop and share `deliver` for the per-row decision.
"""

from __future__ import annotations

import email.policy
import logging
import smtplib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import models, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from undersigned.core.backlog import Backlog, backlog_of

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
SERVICE_NOT_AVAILABLE = 421  # RFC 5321: "closing transmission channel"
FAILURE_MAX_LENGTH = 12  # the reason column of every outbox


class Failure(models.TextChoices):
    """Why a row's email did not go out: stored on the row, never with the address."""

    ADDRESS = "address", _("the address cannot be put on an envelope")
    SMTPUTF8 = "smtputf8", _("an international address the mail server does not accept")
    REFUSED = "refused", _("the mail server refused the recipient")
    REJECTED = "rejected", _("the mail server refused the message")
    BUILD = "build", _("the message could not be built")
    CONNECTION = "connection", _("the mail server could not be reached")


class OutboxEmail(models.Model):
    """The columns of an outbox table whose rows are the emails owed (a public petition's,
    a debate contribution's): a subclass adds what the email is about and its `kind`, and
    its own partial index on `next_attempt_at` (the rows still due)."""

    next_attempt_at = models.DateTimeField(null=True, blank=True)  # None once sent or given up
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    # Why the last attempt failed (Failure), never the address.
    failure = models.CharField(max_length=FAILURE_MAX_LENGTH, choices=Failure.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


@dataclass(frozen=True)
class Failed:
    reason: Failure
    permanent: bool = False  # give up now rather than retry
    connection_lost: bool = False  # stop using this connection


def retry_delay(attempts: int, first_seconds: int | None = None) -> timedelta:
    """30 s, 1 min, 2 min … capped at 1 hour: eight attempts span about two hours.

    The first step is EMAIL_RETRY_SECONDS (30), or `first_seconds` for another outbox (the
    webhooks' WEBHOOK_RETRY_SECONDS); after an outage of T seconds every row goes out within
    about 2T + that first step of the server answering again."""
    first = settings.EMAIL_RETRY_SECONDS if first_seconds is None else first_seconds
    return timedelta(seconds=min(3600, first * 2 ** max(0, attempts - 1)))


# -- one message --------------------------------------------------------------------------


def deliver(connection: Any, message: EmailMessage) -> Failed | None:
    """Send one message over an open connection; None once the server took it.

    Never raises for anything one message or its address causes. Django refuses a non-ASCII
    local part with a ValueError that quotes the address; it is caught here, dropped (not
    chained, not logged), and the message is sent again with SMTPUTF8 if the server can.
    """
    try:
        connection.send_messages([message])
    except ValueError:
        pass  # below, outside this handler: nothing later may carry it as its __context__
    except (smtplib.SMTPException, OSError) as error:
        return _failed(error)
    else:
        return None
    return _deliver_smtputf8(connection, message)


def _deliver_smtputf8(connection: Any, message: EmailMessage) -> Failed | None:
    """RFC 6531: the envelope and headers in UTF-8, if the server's EHLO offers SMTPUTF8."""
    smtp = getattr(connection, "connection", None)
    if not isinstance(smtp, smtplib.SMTP):
        return Failed(Failure.ADDRESS, permanent=True)
    try:
        smtp.ehlo_or_helo_if_needed()
        if not smtp.has_extn("smtputf8"):
            return Failed(Failure.SMTPUTF8, permanent=True)
        sender = connection.prep_address(message.from_email, force_ascii=False)
        recipients = [
            connection.prep_address(one, force_ascii=False) for one in message.recipients()
        ]
        raw = message.message(policy=email.policy.SMTPUTF8).as_bytes()
    except ValueError:
        return Failed(Failure.ADDRESS, permanent=True)
    except (smtplib.SMTPException, OSError) as error:
        return _failed(error)
    options = ["SMTPUTF8", *(["BODY=8BITMIME"] if smtp.has_extn("8bitmime") else [])]
    try:
        smtp.sendmail(sender, recipients, raw, mail_options=options)
    except (smtplib.SMTPException, OSError) as error:
        return _failed(error)
    return None


def _failed(error: Exception) -> Failed:
    """What an SMTP error means for this row and for the connection."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return Failed(
            Failure.REFUSED,
            permanent=bool(codes) and min(codes) >= 500,
            connection_lost=SERVICE_NOT_AVAILABLE in codes,
        )
    if isinstance(error, smtplib.SMTPSenderRefused | smtplib.SMTPDataError):
        # 421: the server is closing the channel (RFC 5321 §3.8): the rest of the batch waits.
        return Failed(
            Failure.REJECTED,
            permanent=error.smtp_code >= 500,
            connection_lost=error.smtp_code == SERVICE_NOT_AVAILABLE,
        )
    return Failed(Failure.CONNECTION, connection_lost=True)


# -- leasing ------------------------------------------------------------------------------


def lease_due(
    due: QuerySet[Any],
    *,
    due_field: str,
    batch_size: int,
    now: datetime,
    lease_seconds: int | None = None,
) -> tuple[list[int], datetime]:
    """Take up to `batch_size` rows of `due` whose `due_field` has come; (their ids, lease end).

    The lease lasts EMAIL_LEASE_SECONDS, or `lease_seconds` (an outbox whose rows take longer,
    as webhooks' HTTP requests with their timeout)."""
    seconds = settings.EMAIL_LEASE_SECONDS if lease_seconds is None else lease_seconds
    lease_until = now + timedelta(seconds=seconds)
    with transaction.atomic():
        ids = list(
            due.filter(**{f"{due_field}__lte": now})
            .order_by(due_field)
            .select_for_update(skip_locked=True)
            .values_list("id", flat=True)[:batch_size]
        )
        if ids:
            due.model.objects.filter(id__in=ids).update(**{due_field: lease_until})
    return ids, lease_until


def still_leased(
    model: type[Any], ids: Iterable[int], *, due_field: str, lease_until: datetime
) -> QuerySet[Any]:
    """The rows among `ids` that still hold this lease (and so may be written by us)."""
    return model.objects.filter(id__in=list(ids), **{due_field: lease_until})


def drain(send_one_batch: Callable[[], tuple[int, int]], batch_size: int, budget_s: float) -> int:
    """Send batch after batch until one comes back short or the time budget is spent.

    `send_one_batch` returns (emails sent, rows leased); returns the emails sent in all.
    """
    started = time.monotonic()
    sent_total = 0
    while time.monotonic() - started < budget_s:
        sent, leased = send_one_batch()
        sent_total += sent
        if leased < batch_size:
            break
    return sent_total


# -- an outbox ----------------------------------------------------------------------------


class Outbox:
    """One outbox table. Subclasses set `name` and `model`, and say what is owed (`owed`) and
    what to send for a row (`message_for`); the column names below are the usual ones."""

    name: ClassVar[str]  # in log lines
    key: ClassVar[str]  # in /metrics: undersigned_outbox_due{outbox="<key>",kind=…}
    kind_field: ClassVar[str | None] = None  # the column that says which email a row owes
    model: ClassVar[type[models.Model]]
    batch_size: ClassVar[int] = 100
    related: ClassVar[tuple[str, ...]] = ()  # select_related when reading a leased batch
    due_field: ClassVar[str] = "email_next_attempt_at"
    attempts_field: ClassVar[str] = "email_attempts"
    sent_field: ClassVar[str] = "email_sent_at"
    failed_field: ClassVar[str] = "email_failed_at"
    failure_field: ClassVar[str] = "email_failure"
    sent_values: ClassVar[dict[str, Any]] = {}  # also set once sent
    give_up_values: ClassVar[dict[str, Any]] = {}  # also set when given up on

    def owed(self) -> QuerySet[Any]:
        """The rows that owe an email (due now or later)."""
        return self.model._default_manager.all()

    def message_for(self, row: Any, lease_until: datetime) -> EmailMessage | None:
        """The email this row owes, or None when the outbox's own rule drops it (the hook then
        writes that itself, guarded by the lease)."""
        raise NotImplementedError

    def backlog(self, now: datetime) -> dict[str, Backlog]:
        """The emails due by `now` and not yet taken, per kind (the key itself without a
        kind_field), with the oldest due time (core/backlog.py: at most CAP rows are read)."""
        due = self.owed().filter(**{f"{self.due_field}__lte": now})
        found = backlog_of(due, by=self.due_field, kind=self.kind_field)
        return {kind or self.key: backlog for kind, backlog in found.items()}

    def kinds(self) -> list[str]:
        """Every kind of email this outbox sends (a gauge of 0 for those with none due)."""
        if self.kind_field is None:
            return [self.key]
        field = self.model._meta.get_field(self.kind_field)
        return [str(value) for value, _label in getattr(field, "choices", None) or () if value]

    def begin_batch(self) -> None:
        """Called before each batch's first message (for per-batch bookkeeping)."""

    def send_due(self, time_budget_s: float = 30.0) -> int:
        """Send owed emails in batches until none are due or the time budget is spent."""
        return drain(self.send_batch, self.batch_size, time_budget_s)

    def send_batch(self) -> tuple[int, int]:
        """Lease one batch and send it; (emails sent, rows leased)."""
        ids, lease_until = lease_due(
            self.owed(), due_field=self.due_field, batch_size=self.batch_size, now=timezone.now()
        )
        if not ids:
            return 0, 0
        ours = still_leased(self.model, ids, due_field=self.due_field, lease_until=lease_until)
        rows = list(ours.select_related(*self.related) if self.related else ours)
        self.begin_batch()
        batch = _Batch(self, lease_until)
        try:
            with mailers.default as connection:
                for row in rows:
                    if not batch.attempt(connection, row):
                        break  # the connection is gone: the rest wait for the next attempt
        except (smtplib.SMTPException, OSError):
            pass  # could not connect (or hang up): what was not tried waits, as below
        finally:
            batch.record(rows)
        return len(batch.sent), len(ids)


class _Batch:
    """The outcome of each row of one leased batch, written when the batch ends."""

    def __init__(self, outbox: Outbox, lease_until: datetime) -> None:
        self.outbox = outbox
        self.lease_until = lease_until
        self.sent: list[int] = []
        self.done: set[int] = set()  # sent, failed or dropped by the outbox's rule
        self.failed: list[tuple[Any, Failed]] = []

    def attempt(self, connection: Any, row: Any) -> bool:
        """Build and send one row's message; False when the connection is lost."""
        self.done.add(row.pk)
        try:
            message = self.outbox.message_for(row, self.lease_until)
        except Exception as error:  # a bug or missing data: this row only, never the batch
            logger.warning(
                "%s: row %s could not be built (%s)", self.outbox.name, row.pk,
                type(error).__name__,
            )  # fmt: skip
            self.failed.append((row, Failed(Failure.BUILD)))
            return True
        if message is None:
            return True
        failure = deliver(connection, message)
        if failure is None:
            self.sent.append(row.pk)
        else:
            self.failed.append((row, failure))
        return failure is None or not failure.connection_lost

    def record(self, rows: list[Any]) -> None:
        box = self.outbox
        now = timezone.now()
        if self.sent:
            self._ours(self.sent).update(
                **{box.due_field: None, box.sent_field: now, box.failure_field: ""},
                **box.sent_values,
            )
        untried = [(row, Failed(Failure.CONNECTION)) for row in rows if row.pk not in self.done]
        for row, failure in self.failed + untried:
            attempts = getattr(row, box.attempts_field) + 1
            values: dict[str, Any] = {
                box.attempts_field: F(box.attempts_field) + 1,
                box.failure_field: failure.reason.value,
            }
            if failure.permanent or attempts >= MAX_ATTEMPTS:
                values |= {box.due_field: None, box.failed_field: now, **box.give_up_values}
            else:
                values[box.due_field] = now + retry_delay(attempts)
            self._ours([row.pk]).update(**values)
        if self.failed or untried:
            logger.warning(
                "%s: %d sent, %d not sent (rows %s: %s)", box.name, len(self.sent),
                len(self.failed) + len(untried),
                ", ".join(str(row.pk) for row, _ in (self.failed + untried)[:20]),
                ", ".join(sorted({failure.reason.value for _, failure in self.failed + untried})),
            )  # fmt: skip

    def _ours(self, ids: list[int]) -> QuerySet[Any]:
        box = self.outbox
        return still_leased(box.model, ids, due_field=box.due_field, lease_until=self.lease_until)
