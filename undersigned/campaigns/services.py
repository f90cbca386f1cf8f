"""Writing organisations, cases, timeline entries and updates."""

from __future__ import annotations

from datetime import date
from typing import Any

from undersigned.campaigns.models import Case, Organisation, TimelineEntry, Update


def upsert_organisation(slug: str, name: str) -> Organisation:
    organisation, _created = Organisation.objects.update_or_create(
        slug=slug, defaults={"name": name}
    )
    return organisation


def upsert_case(organisation: Organisation, slug: str, **fields: Any) -> Case:
    case, _created = Case.objects.update_or_create(
        slug=slug, defaults={"organisation": organisation, **fields}
    )
    return case


def upsert_timeline_entry(case: Case, on: date, title_en: str, **fields: Any) -> TimelineEntry:
    entry, _created = TimelineEntry.objects.update_or_create(
        case=case, date=on, title=title_en, defaults={"title_en": title_en, **fields}
    )
    return entry


def upsert_update(case: Case, on: date, title_en: str, **fields: Any) -> Update:
    update, _created = Update.objects.update_or_create(
        case=case, published_on=on, title=title_en, defaults={"title_en": title_en, **fields}
    )
    return update
