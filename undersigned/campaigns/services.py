"""Writing organisations, cases, timeline entries and updates."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth import get_user_model

from undersigned.campaigns.models import Case, Membership, Organisation, TimelineEntry, Update
from undersigned.core.upsert import upsert


def upsert_organisation(slug: str, name: str) -> Organisation:
    return upsert(Organisation, {"slug": slug}, {"name": name})


def upsert_case(organisation: Organisation, slug: str, **fields: Any) -> Case:
    return upsert(Case, {"slug": slug}, {"organisation": organisation, **fields})


def upsert_timeline_entry(case: Case, on: date, english_title: str, **fields: Any) -> TimelineEntry:
    """The entry of this case, date and English title: created, or brought up to date."""
    return upsert(TimelineEntry, {"case": case, "date": on, "title_en": english_title}, fields)


def upsert_update(case: Case, on: date, english_title: str, **fields: Any) -> Update:
    return upsert(Update, {"case": case, "published_on": on, "title_en": english_title}, fields)


def ensure_member(username: str, password: str, organisation: Organisation, role: str) -> None:
    """A staff account with this role in this organisation (created if missing; an existing
    account keeps its password)."""
    user, created = get_user_model().objects.get_or_create(username=username)
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
    Membership.objects.update_or_create(
        user=user, organisation=organisation, defaults={"role": role}
    )
