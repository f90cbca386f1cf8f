"""Recording a delivery: every field bounded, every error a sentence a campaigner understands."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from undersigned.core.photos import PhotoField
from undersigned.petitions.models import Petition

SIGNATURES_MAX = 1_000_000_000
PLACE_MAX_LENGTH = 200
NOTE_MAX_LENGTH = 2_000
PHOTO_ALT_MAX_LENGTH = 300


class DeliveryForm(forms.Form):
    delivered_on = forms.DateField(
        label=_("Date of the delivery"),
        help_text=_("For example 2021-01-04."),
        error_messages={
            "required": _("Enter the date the signatures were delivered."),
            "invalid": _("Enter the date as year-month-day, for example 2021-01-04."),
        },
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    place = forms.CharField(
        label=_("Place"),
        max_length=PLACE_MAX_LENGTH,
        help_text=_("Where they were handed over, for example “Home Office, London”."),
        error_messages={
            "required": _("Enter where the signatures were delivered."),
            "max_length": _("Keep the place to 200 characters or fewer."),
            "null_characters_not_allowed": _("The place contains invisible control characters."),
        },
    )
    signatures_delivered = forms.IntegerField(
        label=_("Number of signatures delivered"),
        min_value=1,
        max_value=SIGNATURES_MAX,
        error_messages={
            "required": _("Enter how many signatures were delivered."),
            "invalid": _("Enter a whole number, for example 12500."),
            "min_value": _("The number of signatures delivered must be at least 1."),
            "max_value": _("The number of signatures delivered cannot exceed one billion."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        help_text=_("Shown on the public petition page. Plain text, up to 2,000 characters."),
        error_messages={
            "max_length": _("Keep the note to 2,000 characters or fewer."),
            "null_characters_not_allowed": _("The note contains invisible control characters."),
        },
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    photo = PhotoField(
        label=_("Photo"),
        required=False,
        help_text=_("A JPEG, PNG or WebP image of at most 5 MB, shown on the public page."),
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    photo_alt = forms.CharField(
        label=_("Photo description (alt text)"),
        required=False,
        max_length=PHOTO_ALT_MAX_LENGTH,
        help_text=_("Needed with a photo: what it shows, for people who cannot see it."),
        error_messages={
            "max_length": _("Keep the description to 300 characters or fewer."),
            "null_characters_not_allowed": _(
                "The description contains invisible control characters."
            ),
        },
    )

    def __init__(self, *args: Any, petition: Petition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.petition = petition

    def clean_delivered_on(self) -> date:
        value: date = self.cleaned_data["delivered_on"]
        # A day of slack: the campaigner's calendar may be ahead of the server's time zone.
        if value > timezone.localdate() + timedelta(days=1):
            raise forms.ValidationError(_("The delivery date cannot be in the future."))
        opened = timezone.localtime(self.petition.opens_at).date()
        if value < opened:
            raise forms.ValidationError(
                _("The delivery date cannot be before the petition opened (%(date)s)."),
                params={"date": opened.isoformat()},
            )
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("photo") and not cleaned.get("photo_alt", "").strip():
            self.add_error(
                "photo_alt", _("Describe the photo for people who cannot see it (alt text).")
            )
        return cleaned
