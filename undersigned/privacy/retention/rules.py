"""Retention: which signers' personal data is due to go, the staff's dry run, and the run.

Three jobs, in this order (docs/privacy.md explains each rule and why):

1. purge: unconfirmed signatures older than UNCONFIRMED_DAYS are deleted — never counted;
2. anonymise: signatures whose petition's retention policy has come due lose name, email and
   network data; country, dates and states stay, so every count stays as it was;
3. network data: the subnet and address hash of every other signature older than
   NETWORK_DATA_DAYS are cleared.

Each selector is one queryset built from the same conditions, and the three are disjoint, so
the dry-run report (counts now) is exactly what a run at the same moment does.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone

from undersigned.audit.models import AuditAction
from undersigned.audit.services import record
from undersigned.core.dates import add_months
from undersigned.petitions.models import Delivery, Petition, RetentionPolicy
from undersigned.signatures import retention as signature_retention
from undersigned.signatures.models import Signature
from undersigned.signatures.querysets import HAS_NETWORK_DATA, NEVER_CONFIRMED, SUBSCRIBED

# Long enough for a late click on a confirmation link (and a re-sent one), short enough that
# an address nobody confirmed is not kept for long. The link dies with the row.
UNCONFIRMED_DAYS = 30
# "1 month after delivery".
MONTHS_AFTER_DELIVERY = 1


def network_data_days() -> int:
    return settings.NETWORK_DATA_DAYS


# -- what is due ------------------------------------------------------------------------------


def _purge_condition(now: datetime) -> Q:
    return NEVER_CONFIRMED & Q(created_at__lte=now - timedelta(days=UNCONFIRMED_DAYS))


def _closed_months_ago(now: datetime) -> Q:
    """after_close petitions closed at least their own retention_months ago. One condition per
    distinct month count in use (a handful), so the database does the date comparison."""
    months_in_use = (
        Petition.objects.filter(retention_policy=RetentionPolicy.MONTHS_AFTER_CLOSE)
        .values_list("retention_months", flat=True)
        .distinct()
        .order_by()
    )
    condition = Q(pk__in=[])
    for months in months_in_use:
        condition |= Q(retention_months=months, closes_at__lte=add_months(now, -months))
    return condition


def _delivered_a_month_ago(now: datetime) -> Q:
    """Closed, delivered, and the latest delivery at least a month old."""
    cutoff = add_months(timezone.localdate(now), -MONTHS_AFTER_DELIVERY)
    deliveries = Delivery.objects.filter(petition=OuterRef("pk"))
    return (
        Q(closes_at__lte=now)
        & Exists(deliveries.filter(delivered_on__lte=cutoff))
        & ~Exists(deliveries.filter(delivered_on__gt=cutoff))
    )


def _anonymise_condition(now: datetime) -> Q:
    by_policy = Petition.objects.filter(
        Q(retention_policy=RetentionPolicy.MONTHS_AFTER_CLOSE) & _closed_months_ago(now)
        | Q(retention_policy=RetentionPolicy.MONTH_AFTER_DELIVERY) & _delivered_a_month_ago(now)
    ).values("pk")
    closed_while_subscribed = Petition.objects.filter(
        retention_policy=RetentionPolicy.WHILE_SUBSCRIBED, closes_at__lte=now
    ).values("pk")
    return (
        Q(anonymised_at__isnull=True)
        & (Q(petition_id__in=by_policy) | Q(petition_id__in=closed_while_subscribed) & ~SUBSCRIBED)
        & ~_purge_condition(now)
    )


def _network_condition(now: datetime) -> Q:
    old = Q(created_at__lte=now - timedelta(days=network_data_days()))
    return old & HAS_NETWORK_DATA & ~_purge_condition(now) & ~_anonymise_condition(now)


def signatures_to_purge(now: datetime) -> QuerySet[Signature]:
    return Signature.objects.filter(_purge_condition(now))


def signatures_to_anonymise(now: datetime) -> QuerySet[Signature]:
    return Signature.objects.filter(_anonymise_condition(now))


def network_data_to_clear(now: datetime) -> QuerySet[Signature]:
    return Signature.objects.filter(_network_condition(now))


# -- the staff's dry run ----------------------------------------------------------------------


@dataclass(frozen=True)
class RetentionReport:
    """What a run at `now` would do to one petition: numbers and dates, never a name."""

    petition: Petition
    now: datetime
    to_anonymise: int
    to_purge: int
    network_to_clear: int
    already_anonymised: int
    kept_while_subscribed: int
    # When the petition's policy starts anonymising (None: not yet known).
    policy_due_from: datetime | date | None
    latest_delivery: date | None
    network_data_days: int = field(default_factory=network_data_days)
    unconfirmed_days: int = UNCONFIRMED_DAYS

    @property
    def anything_to_do(self) -> bool:
        return bool(self.to_anonymise or self.to_purge or self.network_to_clear)


def retention_report(petition: Petition, now: datetime | None = None) -> RetentionReport:
    now = now or timezone.now()
    own = Signature.objects.filter(petition=petition)
    latest_delivery = petition.deliveries.aggregate(latest=Max("delivered_on"))["latest"]
    due_from: datetime | date | None = None
    if petition.closes_at is not None:
        if petition.retention_policy == RetentionPolicy.MONTHS_AFTER_CLOSE:
            due_from = add_months(petition.closes_at, petition.retention_months)
        elif petition.retention_policy == RetentionPolicy.WHILE_SUBSCRIBED:
            due_from = petition.closes_at
        elif latest_delivery is not None:
            by_delivery = add_months(latest_delivery, MONTHS_AFTER_DELIVERY)
            due_from = max(by_delivery, timezone.localdate(petition.closes_at))
    kept = 0
    if petition.retention_policy == RetentionPolicy.WHILE_SUBSCRIBED:
        kept = own.subscribed().filter(anonymised_at__isnull=True).count()
    return RetentionReport(
        petition=petition,
        now=now,
        to_anonymise=own.filter(_anonymise_condition(now)).count(),
        to_purge=own.filter(_purge_condition(now)).count(),
        network_to_clear=own.filter(_network_condition(now)).count(),
        already_anonymised=own.filter(anonymised_at__isnull=False).count(),
        kept_while_subscribed=kept,
        policy_due_from=due_from,
        latest_delivery=latest_delivery,
    )


# -- the run ----------------------------------------------------------------------------------


@dataclass
class RetentionRun:
    anonymised: Counter[int] = field(default_factory=Counter)
    purged: Counter[int] = field(default_factory=Counter)
    network_cleared: Counter[int] = field(default_factory=Counter)

    @property
    def petition_ids(self) -> list[int]:
        return sorted(set(self.anonymised) | set(self.purged) | set(self.network_cleared))

    @property
    def total(self) -> int:
        return sum((self.anonymised + self.purged + self.network_cleared).values())


def apply_retention(now: datetime | None = None) -> RetentionRun:
    """Purge, anonymise and clear what is due at `now`, and audit each petition touched."""
    now = now or timezone.now()
    run = RetentionRun()
    run.purged = signature_retention.purge_unconfirmed_signatures(signatures_to_purge(now))
    run.anonymised = signature_retention.anonymise_signatures(signatures_to_anonymise(now), now)
    run.network_cleared = signature_retention.clear_network_data(network_data_to_clear(now))
    _audit(run)
    return run


def _audit(run: RetentionRun) -> None:
    organisations = dict(
        Petition.objects.filter(pk__in=run.petition_ids).values_list("pk", "case__organisation_id")
    )
    for petition_id in run.petition_ids:
        anonymised = run.anonymised[petition_id]
        purged = run.purged[petition_id]
        cleared = run.network_cleared[petition_id]
        record(
            AuditAction.RETENTION_RUN,
            organisation_id=organisations.get(petition_id),
            petition_id=petition_id,
            row_count=anonymised + purged + cleared,
            # Numbers only: no signer is named.
            detail=(
                f"anonymised {anonymised}, unconfirmed deleted {purged}, "
                f"network data cleared {cleared}"
            ),
        )


# -- for the privacy notice -------------------------------------------------------------------


@dataclass(frozen=True)
class RetentionFacts:
    """The retention rules as the privacy notice states them (all from code and settings)."""

    default_policy: str
    default_months: int
    unconfirmed_days: int
    network_data_days: int
    months_after_delivery: int


def retention_facts() -> RetentionFacts:
    months_field = Petition._meta.get_field("retention_months")
    policy_field = Petition._meta.get_field("retention_policy")
    return RetentionFacts(
        default_policy=str(policy_field.default),
        default_months=int(months_field.default),
        unconfirmed_days=UNCONFIRMED_DAYS,
        network_data_days=network_data_days(),
        months_after_delivery=MONTHS_AFTER_DELIVERY,
    )
