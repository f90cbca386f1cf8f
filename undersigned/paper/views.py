"""Staff pages for paper signatures: the batches and the upload, a preview, apply, revert, and
whether paper counts toward the goal. Mounted under /staff/paper/ by staff/urls.py.

Each starts from petition_for_staff(…): 404 for another organisation's staff, 403 for a role
without the right. The page lists numbers only (every role); importing needs IMPORT_PAPER (its
duplicate report tells which addresses signed), the goal setting EDIT_CONTENT.
"""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from undersigned.campaigns.permissions import Action, may
from undersigned.core.http import see_other
from undersigned.paper import selectors, services
from undersigned.paper.forms import ApplyForm, GoalForm, UploadForm
from undersigned.paper.models import BatchStatus, PaperBatch, RowStatus
from undersigned.paper.rows import FileRefused
from undersigned.petitions.models import Petition
from undersigned.petitions.selectors import petition_for_staff


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def paper_page(request: HttpRequest, slug: str) -> HttpResponse:
    action = Action.IMPORT_PAPER if request.method == "POST" else Action.VIEW_NUMBERS
    petition = petition_for_staff(request.user, slug, action)
    if request.method == "GET":
        return _page(request, petition, UploadForm())
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, petition, form, status=422)
    data = form.cleaned_data
    upload = data["file"]
    source = upload.file if upload else io.BytesIO(data["rows"].encode())
    size = upload.size if upload else len(data["rows"].encode())
    try:
        batch = services.preview_import(
            petition, source, size, sheet_reference=data["sheet_reference"],
            typed=upload is None, acting_user=request.user,
        )  # fmt: skip
    except FileRefused as refused:
        form.add_error("file" if upload else "rows", str(refused))
        return _page(request, petition, form, status=422)
    return see_other(_batch_url(petition, batch))


def _page(request: HttpRequest, petition: Petition, form: UploadForm,
          status: int = 200) -> HttpResponse:  # fmt: skip
    organisation = petition.case.organisation
    context = {
        "petition": petition, "form": form, "batches": selectors.batches_of(petition)[:200],
        "may_import": may(request.user, Action.IMPORT_PAPER, organisation),
        "may_set_goal": may(request.user, Action.EDIT_CONTENT, organisation),
        "goal_form": GoalForm(initial={"counts_toward_goal": petition.paper_counts_toward_goal}),
    }  # fmt: skip
    return render(request, "paper/paper.html", context, status=status)


@require_GET
@login_required
@never_cache
def batch_page(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    petition = petition_for_staff(request.user, slug, Action.IMPORT_PAPER)
    return _batch(request, petition, _batch_or_404(petition, pk))


def _batch(request: HttpRequest, petition: Petition, batch: PaperBatch, status: int = 200,
           changed: bool = False) -> HttpResponse:  # fmt: skip
    previewing = batch.status == BatchStatus.PREVIEW
    context: dict[str, Any] = {"petition": petition, "batch": batch, "changed": changed,
                               "previewing": previewing}  # fmt: skip
    if previewing:
        context.update(
            expired=batch.created_at < services.preview_cutoff(),
            rejected=selectors.reported_rows(batch, RowStatus.REJECTED),
            duplicates=selectors.reported_rows(batch, RowStatus.DUPLICATE),
            shown=selectors.SHOWN_ROWS,
            apply_form=ApplyForm(initial={"token": batch.token, "expected": batch.accepted_count}),
        )
    return render(request, "paper/batch.html", context, status=status)


@require_POST
@login_required
def apply(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    petition = petition_for_staff(request.user, slug, Action.IMPORT_PAPER)
    batch = _batch_or_404(petition, pk)
    form = ApplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Apply the batch from its preview page."))
        return see_other(_batch_url(petition, batch))
    outcome = services.apply_batch(
        batch, token=form.cleaned_data["token"], expected=form.cleaned_data["expected"],
        acting_user=request.user,
    )  # fmt: skip
    batch.refresh_from_db()
    if outcome is services.ApplyOutcome.CHANGED:
        return _batch(request, petition, batch, status=409, changed=True)
    if outcome is services.ApplyOutcome.APPLIED:
        n = batch.accepted_count
        added = ngettext("Added %(n)s signature on paper.", "Added %(n)s signatures on paper.", n)
        messages.success(request, added % {"n": n})
    else:
        messages.error(request, _("This batch cannot be applied (nothing to add, already "
                                  "applied, or its preview expired)."))  # fmt: skip
    return see_other(_batch_url(petition, batch))


@require_POST
@login_required
def revert(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    petition = petition_for_staff(request.user, slug, Action.IMPORT_PAPER)
    batch = _batch_or_404(petition, pk)
    removed = services.revert_batch(batch, acting_user=request.user)
    if batch.status == BatchStatus.APPLIED:
        reverted = ngettext(
            "Reverted: %(n)s signature on paper taken off the count.",
            "Reverted: %(n)s signatures on paper taken off the count.",
            removed,
        )
        messages.success(request, reverted % {"n": removed})
    else:
        messages.error(request, _("Only an applied batch can be reverted."))
    return see_other(reverse("staff:paper:page", kwargs={"slug": petition.slug}))


@require_POST
@login_required
def goal(request: HttpRequest, slug: str) -> HttpResponse:
    petition = petition_for_staff(request.user, slug, Action.EDIT_CONTENT)
    form = GoalForm(request.POST)
    form.is_valid()  # a checkbox: absent means off
    value = bool(form.cleaned_data.get("counts_toward_goal"))
    if services.set_toward_goal(petition, value, acting_user=request.user):
        now = (_("Signatures on paper now count toward the goal.") if value
               else _("Signatures on paper no longer count toward the goal."))  # fmt: skip
        messages.success(request, now)
    return see_other(reverse("staff:paper:page", kwargs={"slug": petition.slug}))


def _batch_or_404(petition: Petition, pk: int) -> PaperBatch:
    batch = selectors.batch_of(petition, pk)
    if batch is None:
        raise Http404("No such batch")
    return batch


def _batch_url(petition: Petition, batch: PaperBatch) -> str:
    return reverse("staff:paper:batch", kwargs={"slug": petition.slug, "pk": batch.pk})
