"""The petition dashboard (numbers only; no personal data)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from undersigned.campaigns.permissions import Action
from undersigned.signatures.selectors import count_snapshot, counts_by_country
from undersigned.staff.selectors import petition_for


@require_GET
@login_required
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    petition = petition_for(request.user, slug, Action.VIEW_NUMBERS)
    context = {
        "petition": petition,
        "count": count_snapshot(petition),
        "by_country": counts_by_country(petition),
    }
    return render(request, "staff/dashboard.html", context)
