"""What the public API returns: petitions and their counts, never a signer's data."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema


class PetitionSummary(Schema):
    slug: str
    title: str
    target: str
    status: str
    goal: int
    signature_count: int
    opens_at: datetime
    closes_at: datetime | None
    case: str
    languages: list[str]
    url: str


class CountryCount(Schema):
    country: str  # ISO 3166-1 alpha-2
    count: int


class PetitionDetail(PetitionSummary):
    demand: str
    counts_updated_at: datetime | None
    by_country: list[CountryCount]


class PetitionPage(Schema):
    count: int
    limit: int
    offset: int
    results: list[PetitionSummary]


class Problem(Schema):
    detail: str
