"""Writing organisations, cases, timeline entries and updates."""

from __future__ import annotations

from datetime import date
from typing import Any

from undersigned.campaigns.models import Case, Organisation, TimelineEntry, Update
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
