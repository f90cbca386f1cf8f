"""Writing updates and starting their mailings (sending is in sending.py)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from undersigned.audit.models import AuditAction
from undersigned.audit.services import record
from undersigned.campaigns.models import Case, Update
from undersigned.campaigns.services import upsert_update
from undersigned.mailings.models import MailingKind, MailingStatus, UpdateDelivery, UpdateMailing
from undersigned.mailings.selectors import petition_recipients, update_recipients
from undersigned.mailings.sending import CHAIN_GRACE
from undersigned.petitions.models import Milestone, OutcomeChange
from undersigned.signatures.models import Signature

User = AbstractBaseUser | AnonymousUser


def translated_fields() -> list[str]:
    """The update's texts besides its English title (the key it is found by), per language of
    settings.LANGUAGES."""
    codes = [code for code, _ in settings.LANGUAGES]
    return [f"title_{code}" for code in codes[1:]] + [f"body_{code}" for code in codes]


class UpdateAlreadyExists(Exception):
    """This case already has an update with this date and English title."""


def default_per_minute() -> int:
    return settings.UPDATE_EMAILS_PER_MINUTE


def new_runner() -> str:
    return secrets.token_hex(16)


@dataclass(frozen=True)
class WrittenUpdate:
    update: Update
    mailing: UpdateMailing | None


def write_update(
    case: Case,
    *,
    acting_user: User | None,
    published_on: date,
    title_en: str,
    texts: dict[str, str],
    email_signers: bool,
    per_minute: int | None = None,
) -> WrittenUpdate:
    """Publish an update on the case's page and, if asked, start emailing it to the signers
    who opted in. Both happen or neither; the email starts once the update is saved."""
    if Update.objects.filter(case=case, published_on=published_on, title_en=title_en).exists():
        raise UpdateAlreadyExists
    fields = {name: texts.get(name, "") for name in translated_fields()}
    try:
        with transaction.atomic():
            update = upsert_update(case, published_on, title_en, **fields)
            record(
                AuditAction.UPDATE_WRITTEN, user=acting_user, organisation_id=case.organisation_id,
                subject=f"update #{update.pk}: {update}"[:200],
            )  # fmt: skip
            mailing = None
            if email_signers:
                mailing = start_mailing(update, acting_user=acting_user, per_minute=per_minute)
    except IntegrityError:  # a concurrent submit of the same update won
        raise UpdateAlreadyExists from None
    return WrittenUpdate(update, mailing)


def start_mailing(
    update: Update, *, acting_user: User | None, per_minute: int | None = None
) -> UpdateMailing:
    """Create the mailing and, in one INSERT … SELECT, a delivery row per recipient; the
    first sending task is enqueued when the transaction commits."""
    mailing = UpdateMailing(kind=MailingKind.UPDATE, update=update)
    return _start(
        mailing, update_recipients(update.case), update.case.organisation_id,
        f"update #{update.pk}: {update}", acting_user, per_minute,
    )  # fmt: skip


def start_milestone_mailing(
    milestone: Milestone, *, acting_user: User | None, per_minute: int | None = None
) -> UpdateMailing:
    """Email a reached milestone to the petition's signers who asked for updates, once
    (a second call, or a race with auto-send, raises MailingAlreadyStarted)."""
    if milestone.crossed_at is None:
        raise MilestoneNotReached
    petition = milestone.petition
    mailing = UpdateMailing(kind=MailingKind.MILESTONE, milestone=milestone)
    return _start_once(
        mailing, petition_recipients(petition), petition.case.organisation_id,
        f"milestone #{milestone.pk} of petition #{petition.pk}", acting_user, per_minute,
    )  # fmt: skip


def start_outcome_mailing(
    change: OutcomeChange, *, acting_user: User | None, per_minute: int | None = None
) -> UpdateMailing:
    """Email a change of the petition's outcome (and its response) to its signers, once."""
    petition = change.petition
    mailing = UpdateMailing(kind=MailingKind.OUTCOME, outcome_change=change)
    return _start_once(
        mailing, petition_recipients(petition), petition.case.organisation_id,
        f"outcome {change.to_outcome} of petition #{petition.pk}", acting_user, per_minute,
    )  # fmt: skip


def start_due_milestone_mailings() -> int:
    """Start the mailing of every reached milestone set to auto-send that has none yet (the
    worker runs this every tick); returns how many started. The unique constraint makes a
    race with a staff member's button, or a second worker, harmless."""
    due = Milestone.objects.filter(
        auto_send=True, crossed_at__isnull=False, mailings__isnull=True
    ).select_related("petition__case")
    started = 0
    for milestone in due[:20]:
        try:
            start_milestone_mailing(milestone, acting_user=None)
        except MailingAlreadyStarted:
            continue
        started += 1
    return started


class MailingAlreadyStarted(Exception):
    """This milestone or outcome change has been emailed already."""


class MilestoneNotReached(Exception):
    """A milestone is emailed only once it is reached."""


def _start_once(*args: Any) -> UpdateMailing:
    try:
        with transaction.atomic():
            return _start(*args)
    except IntegrityError:
        raise MailingAlreadyStarted from None


def _start(
    mailing: UpdateMailing,
    recipients: QuerySet[Signature],
    organisation_id: int,
    subject: str,
    acting_user: User | None,
    per_minute: int | None,
) -> UpdateMailing:
    now = timezone.now()
    runner = new_runner()
    author_id = acting_user.pk if acting_user is not None and acting_user.is_authenticated else None
    mailing.created_by_id = author_id
    mailing.per_minute = per_minute or default_per_minute()
    mailing.runner, mailing.lease_until = runner, now + CHAIN_GRACE
    mailing.save()
    mailing.total = _insert_deliveries(mailing, recipients, now)
    if mailing.total == 0:
        mailing.status, mailing.finished_at = MailingStatus.FINISHED, now
        mailing.runner, mailing.lease_until = "", None
    mailing.save(update_fields=["total", "status", "finished_at", "runner", "lease_until"])
    record(
        AuditAction.MAILING_STARTED, user=acting_user, organisation_id=organisation_id,
        subject=subject[:200], row_count=mailing.total,
    )  # fmt: skip
    if mailing.status == MailingStatus.SENDING:
        from undersigned.mailings.tasks import send_update_mailing

        mailing_id = mailing.pk
        transaction.on_commit(lambda: send_update_mailing.enqueue(mailing_id, runner))
    return mailing


def _insert_deliveries(
    mailing: UpdateMailing, recipients: QuerySet[Signature], now: datetime
) -> int:
    """Copy the recipients into delivery rows inside the database, however many there are."""
    chosen_sql, chosen_params = (
        recipients.order_by().values_list("id", "language").query.sql_with_params()
    )
    meta, quote = UpdateDelivery._meta, connection.ops.quote_name
    column_of = {field.name: str(field.column) for field in meta.concrete_fields}
    names = ("mailing", "signature", "language", "next_attempt_at", "attempts", "lease", "failure")
    columns = ", ".join(quote(column_of[name]) for name in names)
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({columns}) "  # noqa: S608 - names from the model
        f"SELECT %s, chosen.id, chosen.language, %s, 0, '', '' FROM ({chosen_sql}) chosen"
    )
    params = [mailing.pk, connection.ops.adapt_datetimefield_value(now), *chosen_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount
