"""The staff's dry run of retention: what the next run does to one petition, in numbers (read
from the replica when there is one: core/replica.py)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from undersigned.campaigns.permissions import Action
from undersigned.core.replica import read_on_replica
from undersigned.petitions.selectors import petition_for_staff
from undersigned.privacy.retention.rules import retention_report


@require_GET
@login_required
@never_cache
def retention_report_page(request: HttpRequest, slug: str) -> HttpResponse:
    petition = petition_for_staff(request.user, slug, Action.VIEW_RETENTION_REPORT)
    report, reading = read_on_replica(retention_report, petition)
    context = {"petition": petition, "report": report, "reading": reading}
    return render(request, "privacy/retention_report.html", context)
