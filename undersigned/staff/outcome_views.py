"""The petition's "Milestones and outcome" staff page and its actions.

Who may: campaigns/permissions.py (editing content for milestones, the response and the
outcome; sending updates for their emails), through petition_for_staff. What is allowed:
petitions/outcomes.py. Every action is audited there or in mailings/services.py.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from undersigned.campaigns.permissions import Action
from undersigned.core.http import see_other
from undersigned.mailings import services as mailings
from undersigned.petitions import outcomes
from undersigned.petitions.models import Milestone, OutcomeChange, Petition, PetitionResponse
from undersigned.petitions.selectors import petition_for_staff
from undersigned.staff.outcome_forms import MilestoneForm, OutcomeForm, ResponseForm


def _page(
    request: HttpRequest, petition: Petition, status: int = 200, **forms: Any
) -> HttpResponse:
    response = PetitionResponse.objects.filter(petition=petition).first()
    context = {
        "petition": petition,
        "milestones": Milestone.objects.filter(petition=petition).prefetch_related("mailings"),
        "changes": OutcomeChange.objects.filter(petition=petition).prefetch_related("mailings"),
        "milestone_form": forms.get("milestone_form") or MilestoneForm(),
        "response_form": forms.get("response_form") or ResponseForm(initial=_initial(response)),
        "outcome_form": forms.get("outcome_form") or OutcomeForm(),
        "allowed": sorted(outcomes.TRANSITIONS[petition.outcome]),
    }
    return render(request, "staff/outcome.html", context, status=status)


def _initial(response: Any) -> dict[str, Any]:
    if response is None:
        return {}
    fields = {f"body_{code}": getattr(response, f"body_{code}") for code in ("en", "de", "es")}
    return {"responded_on": response.responded_on, "link": response.link, **fields}


def _back(petition: Petition) -> HttpResponse:
    return see_other(reverse("staff:outcome", kwargs={"slug": petition.slug}))


@require_GET
@login_required
def outcome_page(request: HttpRequest, slug: str) -> HttpResponse:
    return _page(request, petition_for_staff(request.user, slug, Action.EDIT_CONTENT))


@require_POST
@login_required
def add_milestone(request: HttpRequest, slug: str) -> HttpResponse:
    petition = petition_for_staff(request.user, slug, Action.EDIT_CONTENT)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        try:
            outcomes.save_milestone(
                petition, count=form.cleaned_data["count"], fields=form.fields_to_save(),
                acting_user=request.user,
            )  # fmt: skip
        except outcomes.MilestoneRefused as refused:
            form.add_error("count", str(refused))
        else:
            messages.success(request, _("The milestone is saved and shown on the petition page."))
            return _back(petition)
    return _page(request, petition, status=422, milestone_form=form)


@require_http_methods(["GET", "POST"])
@login_required
def edit_milestone(request: HttpRequest, slug: str, milestone_id: int) -> HttpResponse:
    """Change a milestone's note, email texts and auto-send (its count too, until reached)."""
    petition = petition_for_staff(request.user, slug, Action.EDIT_CONTENT)
    milestone = get_object_or_404(Milestone, pk=milestone_id, petition=petition)
    form = MilestoneForm(request.POST or None, initial=MilestoneForm.initial_of(milestone))
    if request.method == "POST" and form.is_valid():
        try:
            outcomes.save_milestone(
                petition, count=form.cleaned_data["count"], fields=form.fields_to_save(),
                milestone=milestone, acting_user=request.user,
            )  # fmt: skip
        except outcomes.MilestoneRefused as refused:
            form.add_error("count", str(refused))
        else:
            messages.success(request, _("The milestone is saved and shown on the petition page."))
            return _back(petition)
    context = {"petition": petition, "milestone": milestone, "form": form}
    status = 422 if form.is_bound else 200
    return render(request, "staff/milestone_edit.html", context, status=status)


@require_POST
@login_required
def remove_milestone(request: HttpRequest, slug: str, milestone_id: int) -> HttpResponse:
    petition = petition_for_staff(request.user, slug, Action.EDIT_CONTENT)
    milestone = get_object_or_404(Milestone, pk=milestone_id, petition=petition)
    try:
        outcomes.remove_milestone(milestone, acting_user=request.user)
    except outcomes.MilestoneRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("The milestone is removed."))
    return _back(petition)


@require_POST
@login_required
def email_milestone(request: HttpRequest, slug: str, milestone_id: int) -> HttpResponse:
    petition = petition_for_staff(request.user, slug, Action.SEND_UPDATES)
    milestone = get_object_or_404(Milestone, pk=milestone_id, petition=petition)
    try:
        mailing = mailings.start_milestone_mailing(milestone, acting_user=request.user)
    except mailings.MilestoneNotReached:
        messages.error(request, _("A milestone can be emailed once it is reached."))
    except mailings.MailingAlreadyStarted:
        messages.error(request, _("This milestone has been emailed already."))
    else:
        return see_other(reverse("staff:mailings:progress", args=[mailing.pk]))
    return _back(petition)


@require_POST
@login_required
def record_response(request: HttpRequest, slug: str) -> HttpResponse:
    petition = petition_for_staff(request.user, slug, Action.EDIT_CONTENT)
    form = ResponseForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, petition, status=422, response_form=form)
    data = form.cleaned_data
    outcomes.record_response(
        petition, responded_on=data["responded_on"], bodies=form.bodies(), link=data["link"],
        document=data["document"], acting_user=request.user,
    )  # fmt: skip
    messages.success(request, _("The response is recorded and shown on the petition page."))
    return _back(petition)


@require_POST
@login_required
def change_outcome(request: HttpRequest, slug: str) -> HttpResponse:
    petition = petition_for_staff(request.user, slug, Action.EDIT_CONTENT)
    form = OutcomeForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            outcomes.change_outcome(
                petition, data["outcome"], on=data["changed_on"], note=data["note"],
                acting_user=request.user,
            )  # fmt: skip
        except outcomes.OutcomeRefused as refused:
            form.add_error("outcome", str(refused))
        else:
            messages.success(request, _("The outcome is changed."))
            return _back(petition)
    return _page(request, petition, status=422, outcome_form=form)


@require_POST
@login_required
def email_outcome(request: HttpRequest, slug: str, change_id: int) -> HttpResponse:
    petition = petition_for_staff(request.user, slug, Action.SEND_UPDATES)
    change = get_object_or_404(OutcomeChange, pk=change_id, petition=petition)
    try:
        mailing = mailings.start_outcome_mailing(change, acting_user=request.user)
    except mailings.MailingAlreadyStarted:
        messages.error(request, _("This change has been emailed already."))
        return _back(petition)
    return see_other(reverse("staff:mailings:progress", args=[mailing.pk]))
