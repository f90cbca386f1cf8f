"""The staff back office: sign-in and the list of one's petitions. Feature pages live in
their apps (dashboard here, exports in privacy, updates in mailings)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from undersigned.campaigns.permissions import Action, may, organisations_of
from undersigned.petitions.selectors import petition_for_staff
from undersigned.signatures.selectors import count_snapshot
from undersigned.signatures.views import petition_page_context
from undersigned.staff.selectors import petitions_for


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    rows = []
    for petition in petitions_for(request.user):
        organisation = petition.case.organisation
        numbers = may(request.user, Action.VIEW_NUMBERS, organisation)
        rows.append((petition, count_snapshot(petition) if numbers else None))
    manages_api_keys = organisations_of(request.user, Action.MANAGE_API_KEYS).exists()
    return render(request, "staff/home.html", {"rows": rows, "manages_api_keys": manages_api_keys})


@require_GET
@login_required
def preview(request: HttpRequest, slug: str) -> HttpResponse:
    """A draft (or any petition) exactly as the public will see it, for its editors."""
    petition = petition_for_staff(request.user, slug, Action.EDIT_CONTENT)
    context = {**petition_page_context(petition), "preview": True}
    response = render(request, "signatures/petition.html", context)
    response["Cache-Control"] = "private, no-store"
    return response
