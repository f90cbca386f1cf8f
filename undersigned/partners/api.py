"""The private API, /api/private/v1/: an organisation's own petitions and signatures for its
CRM and partners, with an organisation API key (partners/auth.py). Its OpenAPI document is
/api/private/v1/openapi.json, apart from the public API's.

A key reaches only its organisation's petitions: another organisation's petition is 404,
exactly like one that does not exist. Bad input is a 4xx with the reason, never a 500.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Query, Schema, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError
from pydantic import Field

from undersigned.partners import schemas, selectors, services
from undersigned.partners.auth import NO_KEY, BearerKey, HeaderKey, key_of_request
from undersigned.partners.models import Scope
from undersigned.signatures.submission import Outcome

api = NinjaAPI(
    title="Undersigned private API",
    version="1",
    description=(
        "An organisation's petitions and signatures, and OSDI's record signature helper, "
        "for its CRM and partner organisations. Authenticate with an organisation API key "
        "in a header: `Authorization: Bearer <key>` or `X-Api-Key: <key>`; never in the URL."
    ),
    docs_url=None,
    urls_namespace="private_api",
    auth=[HeaderKey(), BearerKey()],
)
PROBLEMS: dict[int, Any] = {
    400: schemas.Problem, 401: schemas.Problem, 403: schemas.Problem, 404: schemas.Problem,
    413: schemas.Problem, 422: schemas.Problem, 429: schemas.Problem,
}  # fmt: skip
NO_STORE = "private, no-store"


class PageParams(Schema):
    limit: int = Field(20, ge=1, le=100, description="How many petitions (1 to 100).")
    offset: int = Field(0, ge=0, le=100_000, description="How many to skip (0 to 100,000).")


@api.get(
    "/petitions/",
    response={200: schemas.PetitionListOut, **PROBLEMS},
    by_alias=True,
    summary="The organisation's petitions",
)
def list_petitions(
    request: HttpRequest, response: HttpResponse, page: Query[PageParams]
) -> dict[str, Any]:
    response["Cache-Control"] = NO_STORE
    return selectors.petition_list(request.auth, page.limit, page.offset)  # type: ignore[attr-defined]


@api.get(
    "/petitions/{petition_id}/",
    response={200: schemas.PetitionOut, **PROBLEMS},
    by_alias=True,
    summary="One petition (OSDI petition), with its counts",
)
def get_petition(request: HttpRequest, response: HttpResponse, petition_id: str) -> Any:
    response["Cache-Control"] = NO_STORE
    return selectors.petition_resource(selectors.petition_for_key(request.auth, petition_id))  # type: ignore[attr-defined]


class SignatureParams(Schema):
    since: datetime | None = Field(
        None, description="Only signatures confirmed at or after this time (ISO 8601)."
    )
    cursor: str | None = Field(
        None, max_length=300, description="From the previous page's next_cursor."
    )
    limit: int = Field(100, ge=1, le=500, description="How many signatures (1 to 500).")


@api.get(
    "/petitions/{petition_id}/signatures/",
    response={200: schemas.SignaturePageOut, **PROBLEMS},
    by_alias=True,
    summary="The petition's counted signatures, page by page",
    description=(
        "Confirmed, valid signatures that count (held ones wait for a moderator), oldest "
        "first. Follow `next_cursor` to the last page, whose `next_since` is the `since` of "
        "the next incremental sync (it may repeat a few signatures: deduplicate by "
        "identifier). Names and emails only with the read_personal_data scope; each such "
        "page is written to the organisation's audit log."
    ),
)
def list_signatures(
    request: HttpRequest, response: HttpResponse, petition_id: str, params: Query[SignatureParams]
) -> Any:
    api_key = key_of_request(request, Scope.READ_SIGNATURES)
    petition = selectors.petition_for_key(api_key, petition_id)
    personal = api_key.allows(Scope.READ_PERSONAL_DATA)
    try:
        page = selectors.signature_page(
            petition, since=params.since, cursor=params.cursor, limit=params.limit,
            personal_data=personal,
        )  # fmt: skip
    except selectors.BadCursor:
        raise HttpError(400, "This cursor was not given out by this API.") from None
    if personal and page["signatures"]:
        services.record_personal_data_read(api_key, petition, len(page["signatures"]))
    response["Cache-Control"] = NO_STORE
    return page


@api.post(
    "/petitions/{petition_id}/signatures/",
    response={202: schemas.RecordedOut, 409: schemas.Problem, 422: schemas.FieldProblems,
              **{k: v for k, v in PROBLEMS.items() if k != 422}},
    by_alias=True,
    summary="Record a signature (OSDI record signature helper)",
    description=(
        "The web form's rules apply: one signature per petition per email address, "
        "disposable addresses refused, the signer's confirmation email sent; the signature "
        "counts once the signer confirms — unless `partner_verified` is set on a petition "
        "that accepts partner-verified signatures. The answer is the same whether or not "
        "the address had signed."
    ),
)  # fmt: skip
def record_signature(
    request: HttpRequest, petition_id: str, body: schemas.RecordSignatureIn
) -> Any:
    api_key = key_of_request(request, Scope.RECORD_SIGNATURES)
    petition = selectors.petition_for_key(api_key, petition_id)
    if body.language not in dict(settings.LANGUAGES):
        codes = ", ".join(dict(settings.LANGUAGES))
        errors = {"language": [f"One of {codes}."]}
        return Status(422, {"detail": "Unknown language.", "errors": errors})
    if body.partner_verified and not selectors.accepts_partner_verified(petition):
        raise HttpError(403, NOT_PARTNER_VERIFIED)
    person = body.person
    email = next((e for e in person.email_addresses if e.primary), person.email_addresses[0])
    submission = services.record_signature(
        api_key, petition,
        name=f"{person.given_name} {person.family_name}".strip(), email=email.address,
        country=person.postal_addresses[0].country, consent_wording=body.consent_wording,
        language=body.language, source=body.source, updates_opt_in=body.updates_opt_in,
        verified_by_partner=body.partner_verified,
    )  # fmt: skip
    if submission.outcome is Outcome.CLOSED:
        return Status(409, {"detail": "This petition takes no signatures now (closed or a draft)."})
    if submission.outcome is Outcome.INVALID:
        errors = {_OSDI_FIELD.get(k, k): v for k, v in (submission.errors or {}).items()}
        return Status(
            422, {"detail": "The signature breaks the sign form's rules.", "errors": errors}
        )
    verified = body.partner_verified
    return Status(202, {
        "status": "partner_verified" if verified else "pending_confirmation",
        "detail": COUNTED_BY_THE_WORKER if verified else EMAILED,
        "_links": {"osdi:petition": {"href": selectors.petition_href(petition)}},
    })  # fmt: skip


NOT_PARTNER_VERIFIED = (
    "This petition does not accept partner-verified signatures: send it without "
    "partner_verified, and the signer confirms by email."
)
COUNTED_BY_THE_WORKER = "Counted as partner-verified within seconds."
EMAILED = "The signer is emailed a confirmation link; the signature counts once they confirm."

_OSDI_FIELD = {
    "name": "person.given_name",
    "email": "person.email_addresses.0.address",
    "country": "person.postal_addresses.0.country",
}


PARAMETER_NAMES = {"body", "params", "page"}  # the views' own argument names, not fields


@api.exception_handler(ValidationError)
def invalid_input(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """422 with one readable sentence per bad field, never the input echoed at length."""
    errors: dict[str, list[str]] = {}
    for error in exc.errors[:50]:
        parts = [str(part) for part in error.get("loc", [])[1:]]  # after "body" or "query"
        if parts and parts[0] in PARAMETER_NAMES:
            parts = parts[1:]
        where = ".".join(parts) or "body"
        errors.setdefault(where[:200], []).append(str(error.get("msg", ""))[:200])
    detail = "; ".join(f"{where}: {', '.join(msgs)}" for where, msgs in errors.items())
    return api.create_response(request, {"detail": detail[:1000], "errors": errors}, status=422)


@api.exception_handler(AuthenticationError)
def no_key(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(request, {"detail": NO_KEY}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="undersigned"'
    return response


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found."}, status=404)
