"""What a staff member may open: every staff page starts from one of these."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from undersigned.campaigns.permissions import organisations_of
from undersigned.campaigns.selectors import case_for_staff
from undersigned.petitions.models import Petition
from undersigned.petitions.selectors import petition_for_staff

User = AbstractBaseUser | AnonymousUser


def petitions_for(user: User) -> QuerySet[Petition]:
    """Every petition (drafts too) of the organisations this user belongs to."""
    return (
        Petition.objects.filter(case__organisation__in=organisations_of(user))
        .select_related("case", "case__organisation")
        .order_by("-created_at")
    )


# The access rules live beside the models they guard; staff pages use them under these names.
petition_for = petition_for_staff
case_for = case_for_staff
