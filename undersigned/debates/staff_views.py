"""The moderators' queue of contributions, and closing a debate with its conclusion.

Who may do what is decided in campaigns/permissions.py (through selectors): MODERATE for the
queue, EDIT_CONTENT for closing. The decisions themselves are in services.py, whose state
change refuses an argument already decided by someone else.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from undersigned.core.http import see_other
from undersigned.core.transitions import IllegalTransition
from undersigned.debates import services
from undersigned.debates.forms import CloseForm, DecisionForm
from undersigned.debates.models import Argument
from undersigned.debates.selectors import (
    argument_for_moderator,
    debate_for_editor,
    moderation_queue,
)
from undersigned.debates.states import ArgumentState
from undersigned.debates.validation import ArgumentRefused


@require_GET
@login_required
@never_cache
def queue(request: HttpRequest) -> HttpResponse:
    context = {"arguments": moderation_queue(request.user)}
    return render(request, "debates/staff/queue.html", context)


def _decide(request: HttpRequest, argument: Argument, form: DecisionForm) -> None:
    decision, user = form.cleaned_data["decision"], request.user
    if decision == "reject":
        services.reject_argument(argument, form.cleaned_data["reason"], acting_user=user)
        messages.success(request, _("Rejected. The writer is told the reason."))
        return
    if decision == "correct":
        services.correct_argument(
            argument, claim=form.cleaned_data["claim"],
            explanation=form.cleaned_data["explanation"], acting_user=user,
        )  # fmt: skip
    if argument.state == ArgumentState.CONFIRMED:
        services.publish_argument(argument, acting_user=user)
    messages.success(request, _("Published on the debate page."))


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def review(request: HttpRequest, argument_id: int) -> HttpResponse:
    argument = argument_for_moderator(request.user, argument_id)
    initial = {"claim": argument.claim, "explanation": argument.explanation}
    form = DecisionForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            _decide(request, argument, form)
        except (IllegalTransition, ArgumentRefused):
            messages.error(request, _("Someone else has already decided on this argument."))
            context = {"argument": argument_for_moderator(request.user, argument_id),
                       "form": DecisionForm(initial=initial), "waiting": False}  # fmt: skip
            return render(request, "debates/staff/review.html", context, status=409)
        return see_other(reverse("staff:debates:queue"))
    waiting = argument.state in {ArgumentState.CONFIRMED, ArgumentState.PUBLISHED}
    context = {"argument": argument, "form": form, "waiting": waiting}
    return render(request, "debates/staff/review.html", context, status=422 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def close(request: HttpRequest, debate_id: int) -> HttpResponse:
    debate = debate_for_editor(request.user, debate_id)
    form = CloseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid() and debate.closed_at is None:
        try:
            services.close_debate(debate, form.cleaned_data["conclusion"], acting_user=request.user)
        except services.DebateClosed:
            pass  # closed by someone else meanwhile: the page below says so
        else:
            messages.success(request, _("The debate is closed; its conclusion is on the page."))
            return see_other(reverse("debates:debate", args=[debate.case.slug, debate.slug]))
    status = 422 if form.errors else 200
    context = {"debate": debate, "form": form}
    return render(request, "debates/staff/close.html", context, status=status)
