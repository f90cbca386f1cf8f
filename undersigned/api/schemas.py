"""What the public API returns: petitions and their counts, never a signer's data."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Schema


class PetitionSummary(Schema):
    slug: str
    title: str
    target: str
    status: str
    goal: int
    signature_count: int  # confirmed online (what the transparency log verifies)
    paper_count: int  # collected on paper and imported by the organisation
    paper_counts_toward_goal: bool
    opens_at: datetime
    closes_at: datetime | None
    case: str
    languages: list[str]
    url: str


class CountryCount(Schema):
    country: str  # ISO 3166-1 alpha-2
    count: int


class MilestoneOut(Schema):
    count: int  # the threshold (for the goal milestone: the goal)
    is_goal: bool
    note: str
    crossed_at: datetime | None


class ResponseOut(Schema):
    responded_on: date
    body: str  # Markdown, as written
    body_html: str  # sanitised
    link: str
    document_url: str


class OutcomeChangeOut(Schema):
    from_outcome: str
    to_outcome: str
    on: date


class PetitionDetail(PetitionSummary):
    demand: str
    counts_updated_at: datetime | None
    by_country: list[CountryCount]
    paper_by_country: list[CountryCount]
    outcome: str  # awaiting_response, responded, won, lost, withdrawn
    milestones: list[MilestoneOut]
    response: ResponseOut | None
    outcome_history: list[OutcomeChangeOut]


class PetitionPage(Schema):
    count: int
    limit: int
    offset: int
    results: list[PetitionSummary]


class Problem(Schema):
    detail: str


class HourCount(Schema):
    hour: datetime  # start of the hour, UTC
    count: int


class DayCount(Schema):
    date: date  # UTC day
    count: int


class PetitionHistory(Schema):
    slug: str
    country: str | None  # the series are of this country only; null: of all countries
    signature_count: int
    by_country: list[CountryCount]
    hourly: list[HourCount]
    daily: list[DayCount]


class TrendingPetition(Schema):
    slug: str
    title: str
    url: str
    signatures_in_hour: int  # rounded down to two significant figures
    signature_count: int


class Trending(Schema):
    hour: datetime  # the last complete hour (UTC) the ranking is of
    results: list[TrendingPetition]


class SourceOut(Schema):
    url: str
    title: str
    domain: str
    date: date | None


class ArgumentOut(Schema):
    id: int
    side: str  # for, against
    claim: str
    explanation: str  # Markdown, as written
    explanation_html: str  # sanitised
    replies_to: int | None  # the argument this rebuts (one level only)
    edited_by_moderators: bool
    published_at: datetime | None
    sources: list[SourceOut]
    convinced: int  # "this convinced me" votes counted
    readers: int  # readers who voted in the debate since the argument appeared
    score: float  # Wilson lower bound of convinced / readers, the page's order


class StanceOut(Schema):
    answer: str  # yes, no, not_sure
    count: int


class DebateDetail(Schema):
    slug: str
    case: str
    question: str
    introduction: str
    opens_at: datetime
    closes_at: datetime | None
    closed_at: datetime | None
    is_open: bool
    conclusion: str  # written by staff at closing; "" while open
    url: str
    arguments: list[ArgumentOut]  # published ones, for then against, by score
    stance: list[StanceOut] | None  # the poll's totals once closed; null while open
