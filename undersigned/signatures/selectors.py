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


def count_snapshot(petition: Petition) -> CountSnapshot:
    """The public count: confirmed, valid signatures as of the last counting run.

    Cached for COUNT_CACHE_SECONDS, so a crowd polling count.json costs one cache read each.
    """
    key = f"petition-count:{petition.pk}"
    cached = cache.get(key)
    if cached is None:
        totals = SignatureCount.objects.filter(petition=petition).aggregate(
            total=Sum("count"), updated=Max("updated_at")
        )
        cached = (totals["total"] or 0, totals["updated"] or petition.opens_at)
        cache.set(key, cached, timeout=settings.COUNT_CACHE_SECONDS)
    total, updated_at = cached
    return CountSnapshot(signature_count=total, goal=petition.goal, updated_at=updated_at)


def counts_by_country(petition: Petition) -> list[tuple[str, int]]:
    return list(
        SignatureCount.objects.filter(petition=petition, count__gt=0)
        .order_by("-count", "country")
        .values_list("country", "count")
    )
