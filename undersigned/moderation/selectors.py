"""What moderators read: fraud signals per petition, held signatures, past invalidations.

Numbers and network labels only — never a signer's name, email or network address. Every
count is grouped by the database (`values().annotate()`), a few queries per page, each
bounded by the petition's (petition, created_at) index.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Min, QuerySet
from django.db.models.functions import TruncMinute
from django.utils import timezone
from django_countries import countries

from undersigned.moderation.thresholds import Thresholds, alert_thresholds
from undersigned.petitions.models import Petition
from undersigned.signatures.models import HeldReason, Invalidation, Signature
from undersigned.signatures.querysets import SignatureQuerySet

WINDOW = timedelta(hours=1)
TOP_ROWS = 10
BUSIEST_MINUTES = 10


@dataclass(frozen=True)
class ShareRow:
    key: str  # the stored value: what an invalidation matches on
    label: str  # what a person reads
    recent: int
    recent_share: float  # percent of the last hour's signatures
    usual_share: float | None  # percent of the signatures before; None without a history
    alert: bool


@dataclass(frozen=True)
class MinuteRow:
    start: datetime
    count: int
    times_usual: float | None
    alert: bool


@dataclass(frozen=True)
class FraudSignals:
    since: datetime
    recent_total: int
    usual_total: int
    usual_per_minute: float
    addresses: list[ShareRow]
    subnets: list[ShareRow]
    domains: list[ShareRow]
    countries: list[ShareRow]
    minutes: list[MinuteRow]
    held: list[tuple[str, str, int]]  # (reason, its label, how many)
    thresholds: Thresholds

    @property
    def alerts(self) -> int:
        shares = [*self.addresses, *self.subnets, *self.domains, *self.countries]
        return sum(row.alert for row in shares) + sum(row.alert for row in self.minutes)


def subnet_to_cidr(subnet: str) -> str:
    """ "4:cb007100" → "203.0.113.0/24", "6:20010db800000000" → "2001:db8::/64"."""
    family, _, digits = subnet.partition(":")
    try:
        if family == "4" and len(digits) == 8:
            return f"{ipaddress.IPv4Address(int(digits, 16))}/24"
        if family == "6" and len(digits) == 16:
            return f"{ipaddress.IPv6Address(int(digits, 16) << 64)}/64"
    except ValueError:
        pass
    return subnet


def _valid(petition: Petition) -> SignatureQuerySet:
    """Not invalidated — pending, confirmed or held: what a fraud review looks at (not the
    signatures that count: privacy.exports.selectors.counting_signatures)."""
    return Signature.objects.filter(petition=petition).valid()


def _shares(
    petition: Petition, field: str, since: datetime, totals: tuple[int, int], *,
    label: Any, needs_history: bool, limits: Thresholds,
) -> list[ShareRow]:  # fmt: skip
    """The last hour's top values of `field`, each with its share then and before."""
    recent_total, usual_total = totals
    top = list(
        _valid(petition).filter(created_at__gte=since).exclude(**{field: ""})
        .values_list(field).annotate(n=Count("pk")).order_by("-n", field)[:TOP_ROWS]
    )  # fmt: skip
    before = dict(
        _valid(petition).filter(created_at__lt=since, **{f"{field}__in": [k for k, _ in top]})
        .values_list(field).annotate(n=Count("pk")).order_by()
    )  # fmt: skip
    has_history = usual_total >= limits.min_signatures
    rows = []
    for key, n in top:
        share = n * 100 / recent_total
        usual = before.get(key, 0) * 100 / usual_total if usual_total else None
        if has_history and usual is not None:
            unusual = share >= limits.share_factor * usual
        else:
            unusual = not needs_history
        alert = n >= limits.min_signatures and share >= limits.share_percent and unusual
        rows.append(ShareRow(str(key), label(key), n, share, usual, alert))
    return rows


def _busiest_minutes(
    petition: Petition, since: datetime, per_minute: float, limits: Thresholds
) -> list[MinuteRow]:
    rows = (
        _valid(petition).filter(created_at__gte=since)
        .annotate(minute=TruncMinute("created_at")).values_list("minute")
        .annotate(n=Count("pk")).order_by("-n", "-minute")[:BUSIEST_MINUTES]
    )  # fmt: skip
    return [
        MinuteRow(
            start=minute,
            count=n,
            times_usual=n / per_minute if per_minute else None,
            alert=n >= limits.min_signatures
            and (not per_minute or n >= limits.surge_factor * per_minute),
        )
        for minute, n in rows
    ]


def held_by_reason(petition: Petition) -> list[tuple[str, str, int]]:
    """(reason, label, valid signatures held for it), most first."""
    labels = dict(HeldReason.choices)
    rows = (
        Signature.objects.filter(petition=petition).held().values_list("held_reason")
        .annotate(n=Count("pk")).order_by("-n", "held_reason")
    )  # fmt: skip
    return [(reason, str(labels.get(reason, reason)), n) for reason, n in rows]


def held_total(petition: Petition) -> int:
    return Signature.objects.filter(petition=petition).held().count()


def fraud_signals(petition: Petition, now: datetime | None = None) -> FraudSignals:
    now = now or timezone.now()
    since = now - WINDOW
    limits = alert_thresholds()
    recent_total = _valid(petition).filter(created_at__gte=since, created_at__lte=now).count()
    history = (
        _valid(petition)
        .filter(created_at__lt=since)
        .aggregate(n=Count("pk"), first=Min("created_at"))
    )
    usual_total = history["n"]
    minutes_before = (since - history["first"]).total_seconds() / 60 if usual_total else 0
    per_minute = usual_total / max(1.0, minutes_before) if usual_total else 0.0
    totals = (max(1, recent_total), usual_total)

    def shares(field: str, label: Any, needs_history: bool) -> list[ShareRow]:
        return _shares(petition, field, since, totals, label=label, needs_history=needs_history,
                       limits=limits)  # fmt: skip

    return FraudSignals(
        since=since,
        recent_total=recent_total,
        usual_total=usual_total,
        usual_per_minute=per_minute,
        # One address or one network with a large share is suspect even on a new petition;
        # a big email provider or the campaign's own country is not, without a history.
        addresses=shares("client_hash", str, needs_history=False),
        subnets=shares("client_subnet", subnet_to_cidr, needs_history=False),
        domains=shares("email_domain", str, needs_history=True),
        countries=shares("country", lambda code: countries.name(code) or code, needs_history=True),
        minutes=_busiest_minutes(petition, since, per_minute, limits),
        held=held_by_reason(petition),
        thresholds=limits,
    )


def invalidations_of(petition: Petition) -> QuerySet[Invalidation]:
    return Invalidation.objects.filter(petition=petition).select_related(
        "created_by", "reverted_by"
    )
