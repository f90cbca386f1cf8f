"""Reading cases, their timelines and updates for the public pages."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from undersigned.campaigns.models import Case, TimelineEntry, Update


def published_cases() -> QuerySet[Case]:
    return Case.objects.filter(is_published=True).select_related("organisation")


def get_published_case(slug: str) -> Case:
    try:
        return published_cases().get(slug=slug)
    except Case.DoesNotExist:
        raise Http404("No such case") from None


def timeline_of(case: Case, newest_first: bool = False) -> QuerySet[TimelineEntry]:
    order = ["-date", "-id"] if newest_first else ["date", "id"]
    return case.timeline.order_by(*order)


def updates_on(case: Case) -> QuerySet[Update]:
    return case.updates.order_by("-published_on", "-id")
