"""Writing updates, watching their mailings (staff), and unsubscribing (signers).

Views parse and render; the rules are in services.py, sending.py and selectors.py, and who may
do what in campaigns.permissions (through case_for_staff and selectors.mailing_for).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from undersigned.campaigns.permissions import Action
from undersigned.campaigns.selectors import case_for_staff, updates_on
from undersigned.core.http import see_other
from undersigned.mailings import selectors, services
from undersigned.mailings.forms import UpdateForm
from undersigned.signatures.services import unsubscribe_from_updates


@require_GET
@login_required
def case_updates(request: HttpRequest, slug: str) -> HttpResponse:
    case = case_for_staff(request.user, slug, Action.VIEW_NUMBERS)
    context = {"case": case, "updates": updates_on(case), "mailings": selectors.mailings_on(case)}
    return render(request, "mailings/case_updates.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def new_update(request: HttpRequest, slug: str) -> HttpResponse:
    case = case_for_staff(request.user, slug, Action.SEND_UPDATES)
    form = UpdateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            written = services.write_update(
                case, acting_user=request.user, published_on=data["published_on"],
                title_en=data["title_en"], texts=form.texts(),
                email_signers=data["email_signers"], per_minute=data["per_minute"],
            )  # fmt: skip
        except services.UpdateAlreadyExists:
            form.add_error("title_en", _("This case already has an update of this date and title."))
        else:
            if written.mailing is not None:
                return see_other(reverse("staff:mailings:progress", args=[written.mailing.pk]))
            messages.success(request, _("The update is published on the case page."))
            return see_other(reverse("staff:mailings:case_updates", args=[case.slug]))
    context = {"case": case, "form": form, "recipients": selectors.recipient_count(case)}
    status = 422 if form.is_bound else 200
    return render(request, "mailings/new_update.html", context, status=status)


@require_GET
@login_required
def mailing_progress(request: HttpRequest, mailing_id: int) -> HttpResponse:
    mailing = selectors.mailing_for(request.user, mailing_id)
    context = {"mailing": mailing, "progress": selectors.progress_of(mailing)}
    return render(request, "mailings/progress.html", context)


@require_GET
@login_required
@never_cache
def progress_json(request: HttpRequest, mailing_id: int) -> JsonResponse:
    mailing = selectors.mailing_for(request.user, mailing_id)
    return JsonResponse(selectors.progress_of(mailing).as_json())


@csrf_exempt  # the token in the URL is the proof; RFC 8058 one-click POSTs carry nothing else
@require_http_methods(["GET", "POST"])
@never_cache
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks (mail scanners prefetch links); POST unsubscribes, from a browser's button or
    a mail provider's one-click `List-Unsubscribe=One-Click` request alike."""
    signature = selectors.signature_for_unsubscribe_token(token)
    if signature is None:
        return render(request, "mailings/unsubscribe_invalid.html", status=404)
    organisation = signature.petition.case.organisation
    done = request.method == "POST"
    if done:
        unsubscribe_from_updates(signature)
    context = {"organisation": organisation, "token": token, "done": done}
    return render(request, "mailings/unsubscribe.html", context)
