"""Writing updates and starting their mailings (sending is in sending.py)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from undersigned.audit.models import AuditAction
from undersigned.audit.services import record
from undersigned.campaigns.models import Case, Update
from undersigned.campaigns.services import upsert_update
from undersigned.mailings.models import MailingStatus, UpdateDelivery, UpdateMailing
from undersigned.mailings.selectors import update_recipients
from undersigned.mailings.sending import CHAIN_GRACE

User = AbstractBaseUser | AnonymousUser

TRANSLATED = ("title_de", "title_es", "body_en", "body_de", "body_es")


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
    fields = {name: texts.get(name, "") for name in TRANSLATED}
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
    now = timezone.now()
    runner = new_runner()
    author_id = acting_user.pk if acting_user is not None and acting_user.is_authenticated else None
    mailing = UpdateMailing.objects.create(
        update=update,
        created_by_id=author_id,
        per_minute=per_minute or default_per_minute(),
        runner=runner,
        lease_until=now + CHAIN_GRACE,
    )
    mailing.total = _insert_deliveries(mailing, update.case, now)
    if mailing.total == 0:
        mailing.status, mailing.finished_at = MailingStatus.FINISHED, now
        mailing.runner, mailing.lease_until = "", None
    mailing.save(update_fields=["total", "status", "finished_at", "runner", "lease_until"])
    record(
        AuditAction.MAILING_STARTED, user=acting_user, organisation_id=update.case.organisation_id,
        subject=f"update #{update.pk}: {update}"[:200], row_count=mailing.total,
    )  # fmt: skip
    if mailing.status == MailingStatus.SENDING:
        from undersigned.mailings.tasks import send_update_mailing

        mailing_id = mailing.pk
        transaction.on_commit(lambda: send_update_mailing.enqueue(mailing_id, runner))
    return mailing


def _insert_deliveries(mailing: UpdateMailing, case: Case, now: datetime) -> int:
    """Copy the recipients into delivery rows inside the database, however many there are."""
    chosen_sql, chosen_params = (
        update_recipients(case).order_by().values_list("id", "language").query.sql_with_params()
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
