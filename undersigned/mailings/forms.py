"""The form for writing an update on a case (and choosing whether to email it)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from undersigned.mailings.services import default_per_minute, translated_fields

# A title and a text per language of settings.LANGUAGES; the first is required.
DEFAULT_LANGUAGE = settings.LANGUAGES[0][0]


def _title(label: Any, required: bool) -> forms.CharField:
    return forms.CharField(label=label, max_length=200, required=required)


def _body(label: Any, required: bool) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=20_000, required=required,
        widget=forms.Textarea(attrs={"rows": 8}),
    )  # fmt: skip


class UpdateForm(forms.Form):
    published_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    email_signers = forms.BooleanField(
        label=_("Email this update to signers who asked for updates"), required=False
    )
    per_minute = forms.IntegerField(
        label=_("Emails per minute"), min_value=1, max_value=100_000, required=False,
        help_text=_("Sending slowly keeps mail providers from treating the emails as spam."),
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["published_on"].initial = timezone.localdate()
        self.fields["per_minute"].initial = default_per_minute()
        fields = {"published_on": self.fields.pop("published_on")}
        for code, name in settings.LANGUAGES:
            language = {"language": str(name)}
            required = code == DEFAULT_LANGUAGE
            fields[f"title_{code}"] = _title(gettext("Title in %(language)s") % language, required)
            fields[f"body_{code}"] = _body(
                gettext("Text in %(language)s (Markdown)") % language, required
            )
        self.fields = {**fields, **self.fields}

    def languages(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        """(legend, title field, body field) per language, the required one first."""
        rows = []
        for code, name in settings.LANGUAGES:
            language = {"language": str(name)}
            if code == DEFAULT_LANGUAGE:
                legend = gettext("%(language)s (required)") % language
            else:
                legend = (
                    gettext("%(language)s (optional; readers without it see the English)")
                    % language
                )
            rows.append((capfirst(legend), self[f"title_{code}"], self[f"body_{code}"]))
        return rows

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for code, _name in settings.LANGUAGES[1:]:
            title, body = data.get(f"title_{code}"), data.get(f"body_{code}")
            if title and not body:
                self.add_error(f"body_{code}", _("Add the text too, or leave both empty."))
            elif body and not title:
                self.add_error(f"title_{code}", _("Add the title too, or leave both empty."))
        return data

    def texts(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name) or "" for name in translated_fields()}
