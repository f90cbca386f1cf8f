"""The paper import's staff forms: every field bounded, every error a sentence."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from undersigned.paper.models import SHEET_REFERENCE_MAX_LENGTH

TYPED_MAX_LENGTH = 100_000  # characters typed or pasted into the form (about 2,000 rows)


class UploadForm(forms.Form):
    sheet_reference = forms.CharField(
        label=_("Sheet reference"),
        max_length=SHEET_REFERENCE_MAX_LENGTH,
        help_text=_("As written on the sheets, e.g. “Berlin march 2026, sheets 1 to 40”."),
        error_messages={
            "required": _("Enter the sheets' reference."),
            "max_length": _("Keep the reference to 60 characters or fewer."),
        },
    )
    file = forms.FileField(
        label=_("CSV file"),
        required=False,
        help_text=_(
            "A first row naming the columns name, email (optional) and country (a code such "
            "as DE or an English name); comma, semicolon or tab between cells; UTF-8, UTF-16 "
            "or Latin-1."
        ),
        error_messages={"invalid": _("The file could not be read; choose it again.")},
    )
    rows = forms.CharField(
        label=_("Or type the rows"),
        required=False,
        max_length=TYPED_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text=_("One signature a line: name, email (may be left empty), country."),
        error_messages={
            "max_length": _("Type at most 100,000 characters here; upload a file for more."),
        },
    )

    def clean_sheet_reference(self) -> str:
        reference = " ".join(self.cleaned_data["sheet_reference"].split())
        if not reference:
            raise forms.ValidationError(_("Enter the sheets' reference."))
        if reference.startswith(("=", "+", "-", "@")):
            raise forms.ValidationError(_("Start the reference with a letter or a digit."))
        return reference

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload is not None and upload.size > settings.PAPER_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s MB; at most %(limit)s MB can be imported at once. "
                  "Split it.")
                % {"size": f"{upload.size / 1_000_000:.1f}",
                   "limit": settings.PAPER_IMPORT_MAX_BYTES // 1_000_000}
            )  # fmt: skip
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        has_file, has_rows = bool(data.get("file")), bool((data.get("rows") or "").strip())
        if not self.errors and has_file == has_rows:
            raise forms.ValidationError(_("Choose a file or type rows — one of the two."))
        return data


class ApplyForm(forms.Form):
    token = forms.CharField(max_length=64, widget=forms.HiddenInput)
    expected = forms.IntegerField(min_value=0, max_value=10_000_000, widget=forms.HiddenInput)


class GoalForm(forms.Form):
    counts_toward_goal = forms.BooleanField(
        label=_("Signatures on paper count toward the goal, its milestones and progress bar"),
        required=False,
    )
