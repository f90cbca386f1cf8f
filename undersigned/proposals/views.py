"""Public pages of petitions drafted by the public. All answer 404 while the feature is off.

Views parse and render; the rules are in services.py, selectors.py, states.py and limits.py.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from undersigned.core.formtoken import issue_form_token, protect_public_form
from undersigned.core.http import see_other
from undersigned.proposals import limits, services
from undersigned.proposals.forms import DraftForm, SponsorForm
from undersigned.proposals.models import Proposal
from undersigned.proposals.selectors import (
    feature_enabled,
    public_proposal,
    receiving_organisation,
    required_sponsors,
)
from undersigned.proposals.states import ProposalState
from undersigned.signatures.services import ConfirmationOutcome


def when_enabled(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not feature_enabled():
            raise Http404("Public petitions are not enabled")
        return view(request, *args, **kwargs)

    return wrapper


def _slow_down(form: DraftForm | SponsorForm) -> None:
    """Keep the form as sent, with a message: what was typed is there for the next try."""
    form.is_valid()
    form.add_error(None, _(
        "Many forms came from your network in the last hour. Please try again later; what "
        "you typed is kept below."
    ))  # fmt: skip


@when_enabled
@require_http_methods(["GET", "POST"])
@protect_public_form
def start(request: HttpRequest) -> HttpResponse:
    organisation = receiving_organisation()
    form = DraftForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if limits.too_many("draft", request.client_ip):  # type: ignore[attr-defined]
            _slow_down(form)
            status = 429
        elif form.is_valid():
            if not form.is_bot:
                data = form.cleaned_data
                services.draft_proposal(
                    organisation, title=data["title"], action=data["action"],
                    background=data["background"], target=data["target"], name=data["name"],
                    email=data["email"], language=get_language() or "en",
                )  # fmt: skip
            return see_other(reverse("proposals:check_email"))
        else:
            status = 422
    context = {"form": form, "form_token": issue_form_token(), "required": required_sponsors()}
    return render(request, "proposals/start.html", context, status=status)


@when_enabled
@require_GET
def check_email(request: HttpRequest) -> HttpResponse:
    return render(request, "proposals/check_email.html")


def _detail_context(proposal: Proposal, form: SponsorForm | None = None) -> dict:
    return {
        "proposal": proposal,
        "form": form or SponsorForm(),
        "form_token": issue_form_token(),
        "required": required_sponsors(),
        "gathering": proposal.state == ProposalState.GATHERING,
    }


@when_enabled
@require_GET
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    proposal = public_proposal(slug)
    share_url = request.build_absolute_uri(reverse("proposals:detail", args=[proposal.slug]))
    context = {**_detail_context(proposal), "share_url": share_url}
    return render(request, "proposals/detail.html", context)


@when_enabled
@require_POST
@protect_public_form
def sponsor(request: HttpRequest, slug: str) -> HttpResponse:
    proposal = public_proposal(slug)
    if proposal.state != ProposalState.GATHERING:
        return render(request, "proposals/detail.html", _detail_context(proposal), status=409)
    form = SponsorForm(request.POST)
    if limits.too_many("sponsor", request.client_ip):  # type: ignore[attr-defined]
        _slow_down(form)
        context = _detail_context(proposal, form)
        return render(request, "proposals/detail.html", context, status=429)
    if not form.is_valid():
        context = _detail_context(proposal, form)
        return render(request, "proposals/detail.html", context, status=422)
    if not form.is_bot:
        try:
            services.sponsor_proposal(
                proposal, name=form.cleaned_data["name"], email=form.cleaned_data["email"],
                language=get_language() or "en",
            )  # fmt: skip
        except services.NotGatheringSponsors:  # it moved on while this form was filled in
            return render(request, "proposals/detail.html", _detail_context(proposal), status=409)
    # The same answer for a new, a repeated and the creator's own address.
    return see_other(reverse("proposals:check_email"))


def _confirm_page(
    request: HttpRequest, found: services.Confirmation, token: str, action: str
) -> HttpResponse:
    context = {
        "outcome": found.outcome.value, "proposal": found.proposal, "token": token,
        "action": action, "form_token": issue_form_token(),
    }  # fmt: skip
    status = 404 if found.outcome is ConfirmationOutcome.INVALID else 200
    return render(request, "proposals/confirm.html", context, status=status)


def _confirm_by_post(
    request: HttpRequest,
    token: str,
    url_name: str,
    confirm: Callable[[str], services.Confirmation],
    find: Callable[[str], services.Confirmation],
) -> HttpResponse:
    """GET shows a button; only POST confirms (mail scanners prefetch links)."""
    if request.method == "POST":
        found = confirm(token)
        if found.proposal is not None and found.outcome in {
            ConfirmationOutcome.CONFIRMED, ConfirmationOutcome.ALREADY_CONFIRMED
        }:  # fmt: skip
            return see_other(reverse("proposals:detail", args=[found.proposal.slug]))
    else:
        found = find(token)
    return _confirm_page(request, found, token, reverse(url_name, args=[token]))


@when_enabled
@require_http_methods(["GET", "POST"])
@protect_public_form
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The creator confirms their email."""
    return _confirm_by_post(
        request, token, "proposals:confirm",
        services.confirm_creator, services.find_creator_confirmation,
    )  # fmt: skip


@when_enabled
@require_http_methods(["GET", "POST"])
@protect_public_form
def confirm_sponsor(request: HttpRequest, token: str) -> HttpResponse:
    """A sponsor confirms their email."""
    return _confirm_by_post(
        request, token, "proposals:confirm_sponsor",
        services.confirm_sponsor, lambda token: services.find_sponsor_confirmation(token)[0],
    )  # fmt: skip
