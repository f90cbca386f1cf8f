"""Reads for the public API: public petitions and their confirmed, valid counts.

Counts come from the per-country counters the counting job keeps, so held, pending and
invalidated signatures are never in them, and no personal data is within reach.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db.models import Sum

from undersigned.campaigns.markdown import render_markdown
from undersigned.core.site import absolute_path_url, absolute_url
from undersigned.debates.selectors import debate_page, get_public_debate
from undersigned.petitions.models import Petition, PetitionResponse
from undersigned.petitions.selectors import get_public_petition, outcome_view, public_petitions
from undersigned.signatures.models import SignatureCount
from undersigned.signatures.selectors import (
    count_history,
    counted_total,
    counted_totals,
    counts_by_country,
    last_complete_hour,
    paper_counts_by_country,
    trending_petition_ids,
)

HISTORY_CACHE_SECONDS = 60


def _summary(petition: Petition, total: int, paper: int = 0) -> dict[str, Any]:
    return {
        "slug": petition.slug,
        "title": petition.title,
        "target": petition.target,
        "status": petition.status,
        "goal": petition.goal,
        "signature_count": total,
        "paper_count": paper,
        "paper_counts_toward_goal": petition.paper_counts_toward_goal,
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
    totals = {
        petition_id: (total, paper)
        for petition_id, total, paper in SignatureCount.objects.filter(petition__in=page)
        .values("petition_id")
        .annotate(total=Sum("count"), paper=Sum("paper"))
        .values_list("petition_id", "total", "paper")
    }
    return {
        "count": petitions.count(),
        "limit": limit,
        "offset": offset,
        "results": [_summary(p, *totals.get(p.pk, (0, 0))) for p in page],
    }


def petition_detail(slug: str) -> dict[str, Any]:
    """One public petition with its total and per-country counts (Http404 otherwise)."""
    petition = get_public_petition(slug)
    total, paper, updated_at = counted_totals(petition.pk)
    return {
        **_summary(petition, total, paper),
        "demand": petition.demand,
        "counts_updated_at": updated_at,
        "by_country": [
            {"country": country, "count": count} for country, count in counts_by_country(petition)
        ],
        "paper_by_country": [
            {"country": country, "count": count}
            for country, count in paper_counts_by_country(petition)
        ],
        **_outcome(petition),
    }


def _outcome(petition: Petition) -> dict[str, Any]:
    view = outcome_view(petition)
    milestones = [
        {"count": m.threshold, "is_goal": m.is_goal, "note": m.note, "crossed_at": m.crossed_at}
        for m in view.milestones
    ]
    changes = [
        {"from_outcome": c.from_outcome, "to_outcome": c.to_outcome, "on": c.changed_on}
        for c in view.changes
    ]
    return {
        "outcome": view.outcome,
        "milestones": milestones,
        "response": _response(view.response),
        "outcome_history": changes,
    }


def _response(response: PetitionResponse | None) -> dict[str, Any] | None:
    if response is None:
        return None
    document = response.document
    return {
        "responded_on": response.responded_on,
        "body": response.body,
        "body_html": str(render_markdown(response.body)),
        "link": response.link,
        "document_url": absolute_path_url(document.url) if document else "",
    }


def petition_history(slug: str, hours: int, country: str) -> dict[str, Any]:
    """The count's history (signatures/selectors.py: count_history), cached a minute."""
    petition = get_public_petition(slug)
    key = f"petition-history:{petition.pk}:{hours}:{country}"
    body = cache.get(key)
    if body is None:
        history = count_history(petition, hours=hours, country=country)
        body = {
            "slug": petition.slug,
            "country": country or None,
            "signature_count": counted_total(petition.pk)[0],
            "by_country": [
                {"country": code, "count": n} for code, n in counts_by_country(petition)
            ],
            "hourly": [{"hour": hour, "count": n} for hour, n in history.hourly],
            "daily": [{"date": day, "count": n} for day, n in history.daily],
        }
        cache.set(key, body, timeout=HISTORY_CACHE_SECONDS)
    return body


def trending(limit: int) -> dict[str, Any]:
    """Public petitions ranked by signatures in the last complete hour (rounded)."""
    hour = last_complete_hour()
    ranked = trending_petition_ids(public_petitions(), hour, limit)
    petitions = public_petitions().in_bulk([pid for pid, _n in ranked])
    return {
        "hour": hour,
        "results": [
            {
                "slug": petitions[pid].slug, "title": petitions[pid].title,
                "url": absolute_url("signatures:petition", slug=petitions[pid].slug),
                "signatures_in_hour": n, "signature_count": counted_total(pid)[0],
            }
            for pid, n in ranked
        ],
    }  # fmt: skip


def debate_detail(case_slug: str, slug: str) -> dict[str, Any]:
    """A public debate with its published arguments and tallies (Http404 otherwise). The
    stance poll's totals appear once it is closed, as on the page for readers who did not
    answer; no voter or contributor data is within reach."""
    debate = get_public_debate(case_slug, slug)
    page = debate_page(debate)
    ordered = [
        item for side in page.sides.values() for top in side for item in (top, *top.rebuttals)
    ]
    arguments = [
        {
            "id": item.argument.pk, "side": item.argument.side, "claim": item.argument.claim,
            "explanation": item.argument.explanation,
            "explanation_html": render_markdown(item.argument.explanation),
            "replies_to": item.argument.replies_to_id,
            "edited_by_moderators": item.argument.edited_by_moderators,
            "published_at": item.argument.published_at,
            "sources": [
                {"url": s.url, "title": s.title, "domain": s.domain, "date": s.published_on}
                for s in item.argument.sources.all()
            ],
            "convinced": item.convinced, "readers": item.readers, "score": item.score,
        }
        for item in ordered
    ]  # fmt: skip
    return {
        "slug": debate.slug, "case": debate.case.slug, "question": debate.question,
        "introduction": debate.introduction, "opens_at": debate.opens_at,
        "closes_at": debate.closes_at, "closed_at": debate.closed_at, "is_open": page.is_open,
        "conclusion": debate.conclusion,
        "url": absolute_url("debates:debate", case=debate.case.slug, slug=debate.slug),
        "arguments": arguments,
        "stance": None if page.is_open else [
            {"answer": result.answer, "count": result.count} for result in page.stance
        ],
    }  # fmt: skip
