"""Reading cases, their timelines and updates for the public pages."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from undersigned.campaigns.models import Case, TimelineEntry, Update
from undersigned.campaigns.permissions import Action, StaffUser, require


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


def case_for_staff(user: StaffUser, slug: str, action: Action) -> Case:
    """The case, if `user` may do `action` on it: 404 when it belongs to another organisation
    (or does not exist), 403 when the user's role lacks the right. Every staff page on a case
    starts here."""
    case = Case.objects.select_related("organisation").filter(slug=slug).first()
    if case is None:
        raise Http404("No such case")
    require(user, action, case.organisation)
    return case
