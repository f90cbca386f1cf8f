"""Reading signature counts — cheap enough for every page view and poll."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db.models import Max, Sum

from undersigned.petitions.models import Petition
from undersigned.signatures.models import SignatureCount


@dataclass(frozen=True)
class CountSnapshot:
    signature_count: int
    goal: int
    updated_at: datetime

    @property
    def percent_of_goal(self) -> int:
        return min(100, self.signature_count * 100 // max(1, self.goal))


def counted_total(petition_id: int) -> tuple[int, datetime | None]:
    """(confirmed valid signatures, when that number last changed) as of the last counting run.

    Cached for COUNT_CACHE_SECONDS, so a crowd polling count.json costs one cache read each
    and the database one small aggregate per petition every few seconds.
    """
    key = f"petition-count:{petition_id}"
    cached = cache.get(key)
    if cached is None:
        totals = SignatureCount.objects.filter(petition_id=petition_id).aggregate(
            total=Sum("count"), updated=Max("updated_at")
        )
        cached = (totals["total"] or 0, totals["updated"])
        cache.set(key, cached, timeout=settings.COUNT_CACHE_SECONDS)
    return cached


def count_snapshot(petition: Petition) -> CountSnapshot:
    total, updated_at = counted_total(petition.pk)
    return CountSnapshot(
        signature_count=total, goal=petition.goal, updated_at=updated_at or petition.opens_at
    )


def counts_by_country(petition: Petition) -> list[tuple[str, int]]:
    return list(
        SignatureCount.objects.filter(petition=petition, count__gt=0)
        .order_by("-count", "country")
        .values_list("country", "count")
    )
