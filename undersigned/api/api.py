"""The public read API, /api/v1/: petitions and their counts for journalists and embeds.

Read-only, anonymous, cacheable; the OpenAPI document is /api/v1/openapi.json. There is no
interactive docs page: it would load its script from a CDN.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI, Query, Schema
from ninja.errors import HttpError, ValidationError
from pydantic import Field

from undersigned.api import schemas, selectors

API_CACHE_CONTROL = "public, max-age=5, s-maxage=5, stale-while-revalidate=30"

api = NinjaAPI(
    title="Undersigned public API",
    version="1",
    description=str(_("Public petitions and their confirmed signature counts.")),
    docs_url=None,
    urls_namespace="api",
)


class PageParams(Schema):
    limit: int = Field(20, ge=1, le=100, description="How many petitions (1 to 100).")
    offset: int = Field(0, ge=0, le=100_000, description="How many to skip (0 to 100,000).")


def _public(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = API_CACHE_CONTROL
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


@api.get(
    "/petitions/{slug}/",
    response={200: schemas.PetitionDetail, 404: schemas.Problem},
    summary="One petition with its counts, total and by country",
)
def get_petition(request: HttpRequest, response: HttpResponse, slug: str) -> Any:
    _public(response)
    if len(slug) > 100:
        raise HttpError(404, "Not found")
    return selectors.petition_detail(slug)


@api.exception_handler(ValidationError)
def invalid_query(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """422 with one readable sentence per bad parameter, never the input echoed at length."""
    problems = [
        f"{'.'.join(str(part) for part in error.get('loc', [])[1:])}: {error.get('msg', '')}"
        for error in exc.errors
    ]
    return api.create_response(request, {"detail": "; ".join(problems)[:500]}, status=422)
