"""What a staff member may open: every staff page starts from one of these."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

from undersigned.campaigns.models import Case
from undersigned.campaigns.permissions import Action, organisations_of, require
from undersigned.petitions.models import Petition

User = AbstractBaseUser | AnonymousUser


def petitions_for(user: User) -> QuerySet[Petition]:
    """Every petition (drafts too) of the organisations this user belongs to."""
    return (
        Petition.objects.filter(case__organisation__in=organisations_of(user))
        .select_related("case", "case__organisation")
        .order_by("-created_at")
    )


def petition_for(user: User, slug: str, action: Action) -> Petition:
    """The petition, if the user may do `action` on it: 404 if it is another organisation's
    (or does not exist), 403 if the user's role lacks the right."""
    petition = (
        Petition.objects.select_related("case", "case__organisation").filter(slug=slug).first()
    )
    if petition is None:
        raise Http404("No such petition")
    require(user, action, petition.case.organisation)
    return petition


def case_for(user: User, slug: str, action: Action) -> Case:
    case = Case.objects.select_related("organisation").filter(slug=slug).first()
    if case is None:
        raise Http404("No such case")
    require(user, action, case.organisation)
    return case
