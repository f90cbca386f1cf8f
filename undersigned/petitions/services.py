"""Writing petitions: creating them, and moving them through draft → open → closed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.utils import timezone

from undersigned.campaigns.models import Case
from undersigned.core.upsert import upsert
from undersigned.petitions.models import Petition, PetitionStatus
from undersigned.petitions.selectors import public_petition_cache_key


def upsert_petition(case: Case, slug: str, **fields: Any) -> Petition:
    """Create the petition with this slug, or bring an existing one to these field values."""
    petition = upsert(Petition, {"slug": slug}, {"case": case, **fields})
    cache.delete(public_petition_cache_key(slug))
    return petition


def publish_petition(petition: Petition, now: datetime | None = None) -> Petition:
    petition.status = PetitionStatus.OPEN
    petition.opens_at = min(petition.opens_at, now or timezone.now())
    petition.save(update_fields=["status", "opens_at", "updated_at"])
    cache.delete(public_petition_cache_key(petition.slug))
    return petition


def close_petition(petition: Petition, now: datetime | None = None) -> Petition:
    now = now or timezone.now()
    petition.status = PetitionStatus.CLOSED
    if petition.closes_at is None or petition.closes_at > now:
        petition.closes_at = now
    petition.save(update_fields=["status", "closes_at", "updated_at"])
    cache.delete(public_petition_cache_key(petition.slug))
    return petition
