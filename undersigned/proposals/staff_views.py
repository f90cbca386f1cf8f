"""The moderators' queue of public petitions (404 while the feature is off).

Who may moderate is decided in campaigns/permissions.py (through selectors); the decision
itself in services.py, whose state change refuses a proposal already decided by someone else.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from undersigned.core.http import see_other
from undersigned.proposals import services
from undersigned.proposals.forms import DecisionForm
from undersigned.proposals.selectors import (
    feature_enabled,
    moderation_queue,
    proposal_for_moderator,
)
from undersigned.proposals.states import IllegalTransition, ProposalState


def _require_feature() -> None:
    if not feature_enabled():
        raise Http404("Public petitions are not enabled")


@require_GET
@login_required
@never_cache
def queue(request: HttpRequest) -> HttpResponse:
    _require_feature()
    return render(
        request, "proposals/staff/queue.html", {"proposals": moderation_queue(request.user)}
    )


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def review(request: HttpRequest, slug: str) -> HttpResponse:
    _require_feature()
    proposal = proposal_for_moderator(request.user, slug)
    form = DecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == "publish":
                services.publish_proposal(proposal, acting_user=request.user)
                messages.success(request, _("Published. The petition is open for signatures."))
            else:
                services.reject_proposal(
                    proposal, form.cleaned_data["reason"], acting_user=request.user
                )
                messages.success(request, _("Rejected. The creator is told the reason."))
        except IllegalTransition:
            messages.error(request, _("Someone else has already decided on this proposal."))
            proposal = proposal_for_moderator(request.user, slug)
            context = {"proposal": proposal, "form": DecisionForm(), "waiting": False}
            return render(request, "proposals/staff/review.html", context, status=409)
        return see_other(reverse("staff:proposals:queue"))
    context = {
        "proposal": proposal,
        "form": form,
        "waiting": proposal.state == ProposalState.IN_MODERATION,
    }
    status = 422 if form.errors else 200
    return render(request, "proposals/staff/review.html", context, status=status)
