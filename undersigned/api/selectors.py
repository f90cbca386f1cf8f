"""Reads for the public API: public petitions and their confirmed, valid counts.

Counts come from the per-country counters the counting job keeps, so held, pending and
invalidated signatures are never in them, and no personal data is within reach.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Sum

from undersigned.core.site import absolute_url
from undersigned.petitions.models import Petition
from undersigned.petitions.selectors import get_public_petition, public_petitions
from undersigned.signatures.models import SignatureCount
from undersigned.signatures.selectors import counted_total, counts_by_country


def _summary(petition: Petition, total: int) -> dict[str, Any]:
    return {
        "slug": petition.slug,
        "title": petition.title,
        "target": petition.target,
        "status": petition.status,
        "goal": petition.goal,
        "signature_count": total,
        "opens_at": petition.opens_at,
        "closes_at": petition.closes_at,
        "case": petition.case.slug,
        "languages": [code for code, _name in petition.offered_languages],
        "url": absolute_url("signatures:petition", slug=petition.slug),
    }


def petition_page(limit: int, offset: int) -> dict[str, Any]:
    """One page of public petitions, newest first, with their counts (one query for all)."""
    petitions = public_petitions().select_related("case").order_by("-opens_at", "-id")
    page = list(petitions[offset : offset + limit])
    totals = dict(
        SignatureCount.objects.filter(petition__in=page)
        .values("petition_id")
        .annotate(total=Sum("count"))
        .values_list("petition_id", "total")
    )
    return {
        "count": petitions.count(),
        "limit": limit,
        "offset": offset,
        "results": [_summary(p, totals.get(p.pk) or 0) for p in page],
    }


def petition_detail(slug: str) -> dict[str, Any]:
    """One public petition with its total and per-country counts (Http404 otherwise)."""
    petition = get_public_petition(slug)
    total, updated_at = counted_total(petition.pk)
    return {
        **_summary(petition, total),
        "demand": petition.demand,
        "counts_updated_at": updated_at,
        "by_country": [
            {"country": country, "count": count} for country, count in counts_by_country(petition)
        ],
    }
