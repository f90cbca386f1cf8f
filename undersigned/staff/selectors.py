"""What a staff member may open: every staff page starts from one of these."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from undersigned.campaigns.permissions import organisations_of
from undersigned.petitions.models import Petition

User = AbstractBaseUser | AnonymousUser


def petitions_for(user: User) -> QuerySet[Petition]:
    """Every petition (drafts too) of the organisations this user belongs to."""
    return (
        Petition.objects.filter(case__organisation__in=organisations_of(user))
        .select_related("case", "case__organisation")
        .order_by("-created_at")
    )
