"""The public read API, /api/v1/: petitions and their counts for journalists and embeds.

Read-only, anonymous, cacheable; the OpenAPI document is /api/v1/openapi.json. There is no
interactive docs page: it would load its script from a CDN. Every route reads from the read
replica when there is one (core/replica.py: reads_from_replica), except the cached petition
and count it shares with the signing path (petitions/selectors.py, signatures/selectors.py).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI, Query, Schema
from ninja.errors import HttpError, ValidationError
from pydantic import Field

from undersigned.api import schemas, selectors
from undersigned.core.replica import reads_from_replica

API_CACHE_CONTROL = "public, max-age=5, s-maxage=5, stale-while-revalidate=30"
HISTORY_CACHE_CONTROL = "public, max-age=60, s-maxage=60, stale-while-revalidate=300"

api = NinjaAPI(
    title="Undersigned public API",
    version="1",
    description=str(_("Public petitions and their confirmed signature counts.")),
    docs_url=None,
    urls_namespace="api",
)
# Every route only reads, and may read a few seconds late: all of them read from the replica
# when there is one (core/replica.py).
api.add_decorator(reads_from_replica)


class PageParams(Schema):
    limit: int = Field(20, ge=1, le=100, description="How many petitions (1 to 100).")
    offset: int = Field(0, ge=0, le=100_000, description="How many to skip (0 to 100,000).")


def _public(response: HttpResponse, cache_control: str = API_CACHE_CONTROL) -> HttpResponse:
    response["Cache-Control"] = cache_control
    response["Access-Control-Allow-Origin"] = "*"  # public, read-only, no credentials
    return response


@api.get(
    "/petitions/",
    response={200: schemas.PetitionPage, 422: schemas.Problem},
    summary="List public petitions",
)
def list_petitions(
    request: HttpRequest, response: HttpResponse, page: Query[PageParams]
) -> dict[str, Any]:
    _public(response)
    return selectors.petition_page(page.limit, page.offset)


class TrendingParams(Schema):
    limit: int = Field(10, ge=1, le=50, description="How many petitions (1 to 50).")


@api.get(
    "/petitions/trending/",
    response={200: schemas.Trending, 422: schemas.Problem},
    summary="Petitions ranked by signatures in the last complete hour",
    description=(
        "The hour is the last complete clock hour (UTC), and its counts are rounded down to "
        "two significant figures, so the answer is the same for everyone all hour long."
    ),
)
def trending_petitions(
    request: HttpRequest, response: HttpResponse, params: Query[TrendingParams]
) -> dict[str, Any]:
    _public(response, HISTORY_CACHE_CONTROL)
    return selectors.trending(params.limit)


class HistoryParams(Schema):
    hours: int = Field(
        168, ge=1, le=168, description="How many hours of the hourly series (1 to 168)."
    )
    country: str | None = Field(
        None, pattern="^[A-Z]{2}$", description="Only this country (ISO 3166-1 alpha-2)."
    )


@api.get(
    "/petitions/{slug}/history/",
    response={200: schemas.PetitionHistory, 404: schemas.Problem, 422: schemas.Problem},
    summary="The count's history: per hour (last 7 days) and per day (whole life)",
    description=(
        "Confirmed, valid signatures per hour and per day (UTC), of all countries or of "
        "`country`, with the total and the counts by country. Cached for a minute."
    ),
)
def petition_history(
    request: HttpRequest, response: HttpResponse, slug: str, params: Query[HistoryParams]
) -> Any:
    _public(response, HISTORY_CACHE_CONTROL)
    if len(slug) > 100:
        raise HttpError(404, "Not found")
    return selectors.petition_history(slug, params.hours, params.country or "")


@api.get(
    "/petitions/{slug}/",
    response={200: schemas.PetitionDetail, 404: schemas.Problem},
    summary="One petition with its counts, milestones, response and outcome",
)
def get_petition(request: HttpRequest, response: HttpResponse, slug: str) -> Any:
    _public(response)
    if len(slug) > 100:
        raise HttpError(404, "Not found")
    return selectors.petition_detail(slug)


@api.get(
    "/cases/{case}/debates/{slug}/",
    response={200: schemas.DebateDetail, 404: schemas.Problem},
    summary="A debate: its published arguments for and against, sources and tallies",
    description=(
        "Arguments are ordered per side by `score`, the Wilson lower bound of `convinced` "
        "out of `readers`; rebuttals follow the argument they answer. The stance poll's "
        "totals are given once the debate is closed (null while it is open)."
    ),
)
def get_debate(request: HttpRequest, response: HttpResponse, case: str, slug: str) -> Any:
    _public(response)
    return selectors.debate_detail(case, slug)


@api.exception_handler(ValidationError)
def invalid_query(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """422 with one readable sentence per bad parameter, never the input echoed at length."""
    problems = [
        f"{'.'.join(str(part) for part in error.get('loc', [])[1:])}: {error.get('msg', '')}"
        for error in exc.errors
    ]
    return api.create_response(request, {"detail": "; ".join(problems)[:500]}, status=422)
