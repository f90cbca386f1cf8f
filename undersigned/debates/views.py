"""The public debate page, its votes, its stance poll and readers' contributions.

Views parse and render; the rules are in services.py, selectors.py, validation.py and
limits.py. Every form works without JavaScript (a POST and a 303 back to the page).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from undersigned.campaigns.markdown import render_markdown
from undersigned.core.formtoken import issue_form_token, protect_public_form
from undersigned.core.http import CACHED_PUBLIC_PAGE, see_other
from undersigned.core.transitions import IllegalTransition
from undersigned.debates import services
from undersigned.debates.forms import ContributionForm, StanceForm
from undersigned.debates.models import Debate
from undersigned.debates.pages import cached_debate_page
from undersigned.debates.selectors import debate_page, get_public_debate, published_argument
from undersigned.debates.validation import ArgumentRefused
from undersigned.signatures import proof_of_work
from undersigned.signatures.services import ConfirmationOutcome


def page_context(debate: Debate, variant: str) -> dict:
    shown = debate_page(debate)
    return {
        "debate": debate, "case": debate.case, "page": shown, "variant": variant,
        "introduction_html": render_markdown(debate.introduction),
        "conclusion_html": render_markdown(debate.conclusion),
        "show_stance": variant == "stance" or not shown.is_open, "form_token": issue_form_token(),
    }  # fmt: skip


def _page_url(debate: Debate, variant: str = "", anchor: str = "") -> str:
    url = reverse("debates:debate", args=[debate.case.slug, debate.slug])
    return f"{url}{'?thanks=' + variant if variant else ''}{'#' + anchor if anchor else ''}"


@require_GET
def debate(request: HttpRequest, case: str, slug: str) -> HttpResponse:
    variant = request.GET.get("thanks", "")[:10]
    response = HttpResponse(cached_debate_page(request, case, slug, variant, page_context))
    response["Cache-Control"] = CACHED_PUBLIC_PAGE
    return response


def _closed(request: HttpRequest, found: Debate) -> HttpResponse:
    context = {"debate": found, "case": found.case}
    return render(request, "debates/closed.html", context, status=409)


@require_POST
@protect_public_form
def vote(request: HttpRequest, case: str, slug: str, argument_id: int) -> HttpResponse:
    found = get_public_debate(case, slug)
    argument = published_argument(found, argument_id)
    client_ip: str = request.client_ip  # type: ignore[attr-defined]
    try:
        counted = services.cast_vote(argument, client_ip=client_ip)
    except services.DebateClosed:
        return _closed(request, found)
    except IllegalTransition:  # taken down meanwhile
        return see_other(_page_url(found))
    thanks = "already" if counted is services.Counted.ALREADY else "vote"
    return see_other(_page_url(found, thanks, f"argument-{argument.pk}"))


@require_POST
@protect_public_form
def stance(request: HttpRequest, case: str, slug: str) -> HttpResponse:
    found = get_public_debate(case, slug)
    form = StanceForm(request.POST)
    if not form.is_valid():
        context = {**page_context(found, ""), "stance_form_errors": form.errors}
        return render(request, "debates/debate.html", context, status=422)
    client_ip: str = request.client_ip  # type: ignore[attr-defined]
    try:
        services.answer_stance(found, form.cleaned_data["answer"], client_ip=client_ip)
    except services.DebateClosed:
        return _closed(request, found)
    return see_other(_page_url(found, "stance", "stance"))


def _contribute_page(
    request: HttpRequest, found: Debate, form: ContributionForm, status: int
) -> HttpResponse:
    context = {
        "debate": found, "case": found.case, "form": form, "form_token": issue_form_token(),
        "proof_of_work": settings.PROOF_OF_WORK,
    }  # fmt: skip
    return render(request, "debates/contribute.html", context, status=status)


def _answerable(found: Debate) -> list:
    page = debate_page(found)
    return [item.argument for side in page.sides.values() for item in side]


@require_http_methods(["GET", "POST"])
@protect_public_form
def contribute(request: HttpRequest, case: str, slug: str) -> HttpResponse:
    found = get_public_debate(case, slug)
    if not found.accepts_contributions or not found.is_open():
        return _closed(request, found)
    data = request.POST if request.method == "POST" else None
    form = ContributionForm(data, debate=found, answerable=_answerable(found))
    if request.method == "GET":
        return _contribute_page(request, found, form, 200)
    if not form.is_valid():
        return _contribute_page(request, found, form, 422)
    if not form.is_bot:
        clean = form.cleaned_data
        try:
            services.submit_argument(
                found, side=clean["side"], claim=clean["claim"], explanation=clean["explanation"],
                sources=form.sources(), replies_to=clean["replies_to_argument"],
                name=clean["name"], email=clean["email"], language=get_language() or "en",
                client_ip=request.client_ip,  # type: ignore[attr-defined]
                proved_work=_proved_work(request),
            )  # fmt: skip
        except ArgumentRefused as refused:
            form.add_error(None, str(refused))
            return _contribute_page(request, found, form, 422)
        except (services.DebateClosed, services.ContributionsOff):
            return _closed(request, found)
    return see_other(reverse("debates:check_email"))


def _proved_work(request: HttpRequest) -> bool:
    if not settings.PROOF_OF_WORK:
        return True
    return proof_of_work.solution_is_valid(request.POST.get(proof_of_work.FIELD_NAME))


@require_GET
def check_email(request: HttpRequest) -> HttpResponse:
    return render(request, "debates/check_email.html")


@require_http_methods(["GET", "POST"])
@protect_public_form
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button; only POST confirms (mail scanners prefetch links)."""
    posted = request.method == "POST"
    found = services.confirm_contribution(token) if posted else services.find_contribution(token)
    if posted and found.outcome in {
        ConfirmationOutcome.CONFIRMED, ConfirmationOutcome.ALREADY_CONFIRMED
    }:  # fmt: skip
        return render(request, "debates/confirmed.html", {"argument": found.argument})
    context = {
        "outcome": found.outcome.value, "argument": found.argument,
        "form_token": issue_form_token(), "action": reverse("debates:confirm", args=[token]),
    }  # fmt: skip
    status = 404 if found.outcome is ConfirmationOutcome.INVALID else 200
    return render(request, "debates/confirm.html", context, status=status)
