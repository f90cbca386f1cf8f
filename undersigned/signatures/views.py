"""The signer's pages: the petition with its sign form, signing, confirming, thanking.

Views parse and render; the decisions are in services.py (writes) and selectors.py (reads).
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from undersigned.campaigns.markdown import render_markdown
from undersigned.core.formtoken import issue_form_token, protect_public_form
from undersigned.core.http import CACHED_PUBLIC_PAGE, see_other
from undersigned.petitions.models import Petition
from undersigned.petitions.selectors import accepts_signatures, get_public_petition, outcome_view
from undersigned.signatures import proof_of_work, receipts, services
from undersigned.signatures.forms import SignForm
from undersigned.signatures.pages import cached_petition_page, petition_share_meta
from undersigned.signatures.selectors import count_history, count_json_body, count_snapshot
from undersigned.signatures.services import ConfirmationOutcome
from undersigned.signatures.sources import (
    Source,
    source_from_link,
    with_source_fields,
)
from undersigned.signatures.sparkline import DAYS as SPARKLINE_DAYS
from undersigned.signatures.sparkline import sparkline
from undersigned.signatures.submission import Outcome, submit_signature

COUNT_JSON_CACHE_CONTROL = "public, max-age=2, s-maxage=2, stale-while-revalidate=10"


def petition_page_context(
    petition: Petition, form: SignForm | None = None, source: Source | None = None
) -> dict:
    """What the petition page shows; staff previews of drafts render it too."""
    count = count_snapshot(petition)
    return {
        "form_token": issue_form_token(),
        "petition": petition,
        "case": petition.case,
        "demand_html": render_markdown(petition.demand),
        "count": count,
        "share": petition_share_meta(petition, count),
        "accepts_signatures": accepts_signatures(petition),
        "form": form or SignForm(),
        "source": source or Source(),
        "proof_of_work": settings.PROOF_OF_WORK,
        "sparkline": sparkline(count_history(petition, hours=0, days=SPARKLINE_DAYS).daily),
        **_outcome_context(petition),
    }


def _outcome_context(petition: Petition) -> dict:
    outcome = outcome_view(petition)
    response = outcome.response
    return {"outcome": outcome, "response_html": render_markdown(response.body) if response else ""}


@require_GET
def petition_page(request: HttpRequest, slug: str) -> HttpResponse:
    html = cached_petition_page(request, slug, petition_page_context)
    response = HttpResponse(with_source_fields(html, source_from_link(slug, request.GET)))
    response["Cache-Control"] = CACHED_PUBLIC_PAGE
    return response


@require_POST
@protect_public_form
def sign(request: HttpRequest, slug: str) -> HttpResponse:
    petition = get_public_petition(slug)
    submission = submit_signature(request, petition)
    if submission.outcome is Outcome.CLOSED:
        context = petition_page_context(petition)
        return render(request, "signatures/petition.html", context, status=409)
    if submission.outcome is Outcome.SLOW_DOWN:
        return render(request, "signatures/slow_down.html", {"petition": petition}, status=429)
    if submission.outcome is Outcome.INVALID:
        context = petition_page_context(petition, submission.form, submission.source)
        response = render(request, "signatures/petition.html", context, status=422)
        response.content = with_source_fields(response.content.decode(), submission.source)
        return response
    # The same answer whether the address is new, pending, confirmed or held.
    return see_other(reverse("signatures:check_email", kwargs={"slug": slug}))


@require_GET
def proof_of_work_challenge(request: HttpRequest) -> HttpResponse:
    """A fresh challenge for the sign form's script; never cached (the page itself is)."""
    if not settings.PROOF_OF_WORK:
        raise Http404
    response = JsonResponse(proof_of_work.new_challenge())
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def check_your_email(request: HttpRequest, slug: str) -> HttpResponse:
    petition = get_public_petition(slug)
    return render(request, "signatures/check_your_email.html", {"petition": petition})


@require_http_methods(["GET", "POST"])
@protect_public_form
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button; only POST confirms, so mail scanners prefetching links do nothing."""
    if request.method == "POST":
        result = services.confirm_signature(token)
        if result.petition is not None and result.outcome in {
            ConfirmationOutcome.CONFIRMED,
            ConfirmationOutcome.ALREADY_CONFIRMED,
        }:
            url = receipts.cookie_path(result.petition.slug)
            response = see_other(url)
            if result.signature_id is not None:
                response.set_cookie(
                    receipts.COOKIE, receipts.cookie_value(result.signature_id), path=url,
                    max_age=receipts.COOKIE_MAX_AGE, httponly=True, samesite="Lax",
                    secure=settings.SESSION_COOKIE_SECURE,
                )  # fmt: skip
            return response
        outcome, petition = result.outcome, result.petition
    else:
        outcome, signature = services.find_confirmable(token)
        petition = signature.petition if signature else None
    status = 200 if outcome is not ConfirmationOutcome.INVALID else 404
    context = {
        "outcome": outcome.value, "petition": petition, "token": token,
        "form_token": issue_form_token(),
    }  # fmt: skip
    # The site-wide Referrer-Policy (same-origin) keeps the token from other sites; a stricter
    # no-referrer would make browsers send "Origin: null" and fail the form's origin check.
    return render(request, "signatures/confirm.html", context, status=status)


@require_GET
def thank_you(request: HttpRequest, slug: str) -> HttpResponse:
    petition = get_public_petition(slug)
    share_url = request.build_absolute_uri(
        reverse("signatures:petition", kwargs={"slug": petition.slug})
    )
    receipt = receipts.receipt_from_cookie(request.COOKIES.get(receipts.COOKIE), petition.pk)
    context = {"petition": petition, "count": count_snapshot(petition), "share_url": share_url,
               "receipt": receipt}  # fmt: skip
    response = render(request, "signatures/thank_you.html", context)
    if receipt is not None:  # this signer's own: never from a shared cache
        response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def count_json(request: HttpRequest, slug: str) -> HttpResponse:
    """The live count; 100,000 watchers poll this, so its body is cached whole."""
    response = HttpResponse(count_json_body(slug), content_type="application/json")
    response["Cache-Control"] = COUNT_JSON_CACHE_CONTROL
    return response
