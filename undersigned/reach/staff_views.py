"""The back office's reach page: tracked links, the embed snippets, QR codes and print."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from undersigned.campaigns.permissions import Action, may
from undersigned.core.http import see_other
from undersigned.core.site import absolute_url
from undersigned.petitions.models import PetitionStatus
from undersigned.petitions.selectors import petition_for_staff, tracked_links_of
from undersigned.petitions.services import create_tracked_link
from undersigned.reach.forms import TrackedLinkForm
from undersigned.reach.printed import (
    PrintedPdf,
    poster_pdf,
    print_language,
    signature_sheet_pdf,
)
from undersigned.reach.qr import qr_path
from undersigned.reach.snippets import embed_snippets
from undersigned.signatures.sources import clean_value


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def reach_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Every role sees the links; those who edit the petition add them."""
    action = Action.EDIT_CONTENT if request.method == "POST" else Action.VIEW_NUMBERS
    petition = petition_for_staff(request.user, slug, action)
    form = TrackedLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        create_tracked_link(petition, acting_user=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        messages.success(request, _("The link is ready to share."))
        return see_other(reverse("staff:reach:page", kwargs={"slug": petition.slug}))
    links = [
        (link, absolute_url("reach:tracked_link", code=link.code))
        for link in tracked_links_of(petition)
    ]
    context = {
        "petition": petition,
        "links": links,
        "form": form,
        "may_add": may(request.user, Action.EDIT_CONTENT, petition.case.organisation),
        "snippets": embed_snippets(petition),
        "is_public": petition.status != PetitionStatus.DRAFT,
        "languages": petition.offered_languages,
        "qr_svg_path": qr_path(petition, "svg"),
        "qr_png_path": qr_path(petition, "png"),
    }
    return render(request, "reach/staff_reach.html", context, status=422 if form.errors else 200)


@require_GET
@login_required
@never_cache
def poster(request: HttpRequest, slug: str) -> HttpResponse:
    """The A4 poster, `?lang=` one of the petition's languages, `?ref=` a tracked link."""
    petition = petition_for_staff(request.user, slug, Action.VIEW_NUMBERS)
    language = print_language(petition, request.GET.get("lang"))
    return _pdf(poster_pdf(petition, language, clean_value(request.GET.get("ref"))))


@require_GET
@login_required
@never_cache
def signature_sheet(request: HttpRequest, slug: str) -> HttpResponse:
    """The paper signature sheet, with the same options as the poster."""
    petition = petition_for_staff(request.user, slug, Action.VIEW_NUMBERS)
    language = print_language(petition, request.GET.get("lang"))
    return _pdf(signature_sheet_pdf(petition, language, clean_value(request.GET.get("ref"))))


def _pdf(document: PrintedPdf) -> HttpResponse:
    response = HttpResponse(document.content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    return response
