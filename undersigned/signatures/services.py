"""Signing, confirming, counting and invalidating — every write to signatures happens here.

The request path does the least it can: signing is one INSERT (the row is its own email
outbox), confirming is one conditional UPDATE. Emails and counts are the worker's job.
"""

from __future__ import annotations

import enum
import secrets
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from undersigned.core import linktoken
from undersigned.core.upsert import add_to_counters
from undersigned.petitions.models import Petition, PetitionStatus
from undersigned.petitions.selectors import (
    CONFIRMATION_GRACE,
    accepts_confirmations,
    confirmation_deadline,
    petition_by_id,
)
from undersigned.signatures import history, limits, signals
from undersigned.signatures.consent import consent_wording_id
from undersigned.signatures.models import EmailDue, Signature, SignatureCount
from undersigned.signatures.network import hash_client_address, subnet_of
from undersigned.signatures.normalise import normalise_email
from undersigned.signatures.selectors import count_json_cache_key, counted_totals_cache_key
from undersigned.signatures.sources import NO_SOURCE, Source


def _confirmation_lifetime() -> timedelta:
    return timedelta(days=settings.CONFIRMATION_TOKEN_DAYS)


def sign_petition(
    petition: Petition,
    *,
    name: str,
    email: str,
    country: str,
    updates_opt_in: bool,
    language: str,
    client_ip: str = "",
    proved_work: bool = True,
    source: Source = NO_SOURCE,
    consent_wording: int | None = None,
    verified_by_partner: bool = False,
) -> int | None:
    """Record a pending signature (with where it came from: signatures/sources.py), or — if
    this address already signed — ask the worker to remind it (the link again, or "you have
    already signed"; signatures/reminders.py).

    A signature over a rate limit, or sent without a solved proof of work, is stored held
    (`held_reason`): it is not counted until a moderator releases it (docs/abuse.md). Of the
    client address only its network and a keyed hash are kept.

    The partner API (partners/services.py) passes the consent wording its partner showed
    (`consent_wording`, a ConsentWording id) and, where the petition allows it,
    `verified_by_partner`: the row is then stored confirmed, owing no email.

    Returns the new row's id, or None when the address had signed: only for the partner API,
    to mark the row it recorded. Every caller must answer both cases the same way, so nobody
    can learn from the site whether an address has signed, or whether it was held.
    """
    now = timezone.now()
    normalised = normalise_email(email)
    domain = normalised.rpartition("@")[2]
    client_hash, client_subnet = hash_client_address(client_ip), subnet_of(client_ip)
    held = limits.exceeded(
        petition.pk,
        client_hash=client_hash,
        client_subnet=client_subnet,
        email_domain=domain,
        proved_work=proved_work,
    )
    adapt = connection.ops.adapt_datetimefield_value
    return _insert_or_ask_for_a_reminder(
        {
            "petition_id": petition.pk,
            "name": name,
            "email": email,
            "email_normalised": normalised,
            "email_domain": domain,
            "client_subnet": client_subnet,
            "client_hash": client_hash,
            "held_reason": held.value,
            "consent_wording_id": consent_wording or consent_wording_id(language),
            "country": country,
            "source": source.source,
            "source_medium": source.medium,
            "source_campaign": source.campaign,
            "referrer_host": source.referrer_host,
            "updates_opt_in": updates_opt_in,
            "language": language,
            "created_at": adapt(now),
            "counted": False,
            "confirmation_key": linktoken.new_key(),
            "confirmation_expires_at": adapt(
                confirmation_deadline(petition, now, _confirmation_lifetime())
            ),
            "email_due": EmailDue.CONFIRMATION.value,
            "email_next_attempt_at": adapt(now),
            "email_attempts": 0,
            "email_failure": "",
            "resends_in_window": 0,
        },
        verified_by_partner=verified_by_partner,
    )


def _insert_or_ask_for_a_reminder(
    columns: dict[str, Any], *, verified_by_partner: bool = False
) -> int | None:
    """One statement, the same for a new address and one that signed already:
    INSERT … ON CONFLICT (petition_id, email_normalised) DO UPDATE SET reminder_requested_at.

    A new signer's row is inserted. A known signer's row only records that a reminder was
    asked for; the worker turns that into the link again or "you have already signed",
    within the "confirmation_resends" limit (signatures/reminders.py). So both answers run the
    very same SQL, and the time a request takes tells nobody whether the address had signed
    (issue 19: the reminder's UPDATE used to cost 2 to 3 ms more).

    The unique constraint, not a prior SELECT, decides "already signed", so two concurrent
    submissions cannot both insert. Written in SQL because this is the hottest write of a
    surge: building the same INSERT through the ORM cost a third of the sign request's CPU
    (py-spy, docs/scaling.md). Columns left out take their NULL defaults. Both SQLite (3.24+)
    and PostgreSQL read this upsert.

    A partner-verified row (the partner API, where the petition allows it) is inserted
    confirmed, with its receipt, owing no email: the worker counts it like any confirmation.
    """
    if verified_by_partner:
        columns.update(
            confirmed_at=columns["created_at"], receipt_secret=new_receipt_secret(),
            email_due=EmailDue.NONE.value, email_next_attempt_at=None,
        )  # fmt: skip
    quote = connection.ops.quote_name
    table = quote(Signature._meta.db_table)
    names = ", ".join(quote(name) for name in columns)
    placeholders = ", ".join(["%s"] * len(columns))
    requested, created = quote("reminder_requested_at"), quote("created_at")
    sql = (
        f"INSERT INTO {table} ({names}) VALUES ({placeholders}) "  # noqa: S608 - our names
        "ON CONFLICT (petition_id, email_normalised) "
        f"DO UPDATE SET {requested} = EXCLUDED.{created} "
        # A new row has no reminder asked for: that tells the partner API the two apart.
        f"RETURNING id, {requested}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, list(columns.values()))
        row_id, reminder_requested = cursor.fetchone()
    return row_id if reminder_requested is None else None


class ConfirmationOutcome(enum.Enum):
    CONFIRMED = "confirmed"
    ALREADY_CONFIRMED = "already_confirmed"
    EXPIRED = "expired"
    INVALID = "invalid"


@dataclass(frozen=True)
class ConfirmationResult:
    outcome: ConfirmationOutcome
    petition: Petition | None = None
    signature_id: int | None = None  # confirmed now or before: its receipt can be shown


def find_confirmable(token: str) -> tuple[ConfirmationOutcome, Signature | None]:
    """What confirming this token would do, without doing it (the GET page uses this)."""
    key = linktoken.key_from(linktoken.Kind.SIGNATURE_CONFIRMATION, token)
    if key is None:
        return ConfirmationOutcome.INVALID, None
    signature = (
        Signature.objects.select_related("petition", "petition__case")
        .filter(confirmation_key=key)
        .valid()
        .first()
    )
    if signature is None:
        return ConfirmationOutcome.INVALID, None
    if signature.confirmed_at is not None:
        return ConfirmationOutcome.ALREADY_CONFIRMED, signature
    now = timezone.now()
    if now >= signature.confirmation_expires_at or not accepts_confirmations(
        signature.petition, now
    ):
        return ConfirmationOutcome.EXPIRED, signature
    return ConfirmationOutcome.CONFIRMED, signature


def confirm_signature(token: str) -> ConfirmationResult:
    """Confirm the signature behind a link. Idempotent: a second POST is harmless."""
    key = linktoken.key_from(linktoken.Kind.SIGNATURE_CONFIRMATION, token)
    if key is None:
        return ConfirmationResult(ConfirmationOutcome.INVALID)
    confirmed = _confirm_if_confirmable(key, timezone.now())
    if confirmed is not None:
        petition_id, signature_id = confirmed
        return ConfirmationResult(
            ConfirmationOutcome.CONFIRMED, petition_by_id(petition_id), signature_id
        )
    # Not confirmable: say why (already confirmed, expired, unknown). The rare path.
    outcome, signature = find_confirmable(token)
    if outcome is ConfirmationOutcome.CONFIRMED:  # it was expiring at this very instant
        outcome = ConfirmationOutcome.EXPIRED
    if signature is None:
        return ConfirmationResult(outcome)
    return ConfirmationResult(outcome, signature.petition, signature.pk)


def _confirm_if_confirmable(key: str, now: datetime) -> tuple[int, int] | None:
    """Confirm in one statement, or do nothing; returns (petition id, signature id) when it
    confirmed. It also gives the signature its receipt secret.

    The same rules as find_confirmable (pending, valid, unexpired, petition not a draft and
    not closed for longer than the grace period), checked by the database in the UPDATE
    itself, so a surge of confirmations costs one round trip each and cannot race.
    """
    adapt = connection.ops.adapt_datetimefield_value
    signatures, petitions = Signature._meta.db_table, Petition._meta.db_table
    sql = (
        f"UPDATE {signatures} SET confirmed_at = %s, email_due = '', "  # noqa: S608 - table names
        "email_next_attempt_at = NULL, receipt_secret = %s "
        "WHERE confirmation_key = %s AND confirmed_at IS NULL AND invalidated_at IS NULL "
        "AND confirmation_expires_at > %s "
        f"AND petition_id IN (SELECT id FROM {petitions} WHERE status <> %s "
        "AND (closes_at IS NULL OR closes_at > %s)) "
        "RETURNING petition_id, id"
    )
    params = [adapt(now), new_receipt_secret(), key, adapt(now), PetitionStatus.DRAFT,
              adapt(now - CONFIRMATION_GRACE)]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return (row[0], row[1]) if row else None


def new_receipt_secret() -> str:
    """The signer's receipt: 32 random bytes (base64url) that hash to their leaf in the
    petition's transparency log, with the petition's id (docs/verifiable-counts.md)."""
    return secrets.token_urlsafe(32)


def count_new_confirmations(batch_size: int = 5000) -> int:
    """Add newly confirmed signatures to the per-country counts; returns how many were taken.

    Each signature is marked `counted` in the same transaction that adds it, so it is counted
    exactly once however many workers run this (SKIP LOCKED on PostgreSQL; SQLite serialises
    writers). One UPDATE per (petition, country) per batch keeps every counter row cold.
    """
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            # Held signatures wait, uncounted, until a moderator releases them.
            Signature.objects.to_count()
            .order_by("id")
            .select_for_update(skip_locked=True)
            .values_list("id", "invalidated_at")[:batch_size]
        )
        if not rows:
            return 0
        ids = [row_id for row_id, _invalidated in rows]
        valid_ids = [row_id for row_id, invalidated_at in rows if invalidated_at is None]
        # One grouped read of the batch serves the counters and the hourly history alike.
        per_hour = history.deltas_of(Signature.objects.filter(id__in=valid_ids))
        per_country: Counter[tuple[int, str]] = Counter()
        for (petition_id, country, _hour), n in per_hour.items():
            per_country[(petition_id, country)] += n
        for (petition_id, country), n in sorted(per_country.items()):
            add_to_count(petition_id, country, n, now)
        history.record_batch_in_history_and_milestones(per_hour, now)
        Signature.objects.filter(id__in=ids).update(counted=True)
        # The transparency log appends these here, in this transaction (signals.py).
        signals.counted.send(Signature, signature_ids=valid_ids)
    return len(ids)


def add_to_count(petition_id: int, country: str, delta: int, now: datetime) -> None:
    """Add `delta` to the (petition, country) counter, creating it if missing, in one upsert:
    two workers adding a petition's first signatures from one country at once cannot both
    insert (an UPDATE-then-INSERT raised IntegrityError in one of them)."""
    row = {"petition": petition_id, "country": country, "count": delta, "updated_at": now}
    add_to_counters(SignatureCount, ["petition", "country"], "count", [row], also=["updated_at"])


def add_paper_to_count(petition: Petition, per_country: dict[str, int]) -> None:
    """Add (or, with negative numbers, take off) signatures collected on paper to the
    petition's per-country counters in one upsert, and cross the milestones the configured
    total now reaches. The paper app's apply and revert call this inside their transaction."""
    now = timezone.now()
    rows = [
        {"petition": petition.pk, "country": country, "paper": n, "updated_at": now}
        for country, n in sorted(per_country.items())
        if n
    ]
    add_to_counters(SignatureCount, ["petition", "country"], "paper", rows, also=["updated_at"])
    history.cross_milestones(petition.pk, now)
    forget_cached_count(petition)


def forget_cached_count(petition: Petition) -> None:
    """Drop the cached count (and count.json), so this process reads a change made outside
    the counting job at once (others within COUNT_CACHE_SECONDS, as for the job's own)."""
    cache.delete_many([counted_totals_cache_key(petition.pk), count_json_cache_key(petition.slug)])


def recount_petition(petition_id: int) -> int:
    """Rebuild a petition's counts exactly from its counted, valid signatures; returns total.

    Reconciliation for the incremental job: whatever drift an operator suspects (a manual
    edit, a restored backup), this makes the public number equal the rows again.
    """
    now = timezone.now()
    with transaction.atomic():
        # Lock the petition's counted signatures so the counting job cannot interleave.
        list(
            Signature.objects.filter(petition_id=petition_id, counted=True)
            .select_for_update()
            .values_list("id", flat=True)
        )
        actual = (
            Signature.objects.filter(petition_id=petition_id, counted=True)
            .valid()
            .values("country")
            .annotate(n=Count("id"))
        )
        # The online part only: the paper part of each counter is the paper app's.
        SignatureCount.objects.filter(petition_id=petition_id).update(count=0)
        add_to_counters(
            SignatureCount, ["petition", "country"], "count",
            [{"petition": petition_id, "country": row["country"], "count": row["n"],
              "updated_at": now} for row in actual],
            also=["updated_at"],
        )  # fmt: skip
        SignatureCount.objects.filter(petition_id=petition_id, count=0, paper=0).delete()
        history.rebuild_history(petition_id)
        history.cross_milestones(petition_id, now)
        return sum(row["n"] for row in actual)


def unsubscribe_from_updates(signature: Signature) -> int:
    """Stop update emails from this signature's organisation to this signer: every signature
    with the same normalised address on any of the organisation's petitions. Idempotent;
    returns how many signatures changed. Pending update emails to them are then skipped."""
    organisation_id = (
        Petition.objects.filter(pk=signature.petition_id)
        .values_list("case__organisation_id", flat=True)
        .get()
    )
    return (
        Signature.objects.filter(
            email_normalised=signature.email_normalised,
            petition_id__in=Petition.objects.filter(case__organisation_id=organisation_id).values(
                "id"
            ),
        )
        .opted_in()
        .update(updates_opt_in=False)
    )
