"""The form for writing an update on a case (and choosing whether to email it)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from undersigned.mailings.services import default_per_minute

OTHER_LANGUAGES = ("de", "es")


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
    title_en = _title(_("Title in English"), required=True)
    body_en = _body(_("Text in English (Markdown)"), required=True)
    title_de = _title(_("Title in German"), required=False)
    body_de = _body(_("Text in German (Markdown)"), required=False)
    title_es = _title(_("Title in Spanish"), required=False)
    body_es = _body(_("Text in Spanish (Markdown)"), required=False)
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

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for code in OTHER_LANGUAGES:
            title, body = data.get(f"title_{code}"), data.get(f"body_{code}")
            if title and not body:
                self.add_error(f"body_{code}", _("Add the text too, or leave both empty."))
            elif body and not title:
                self.add_error(f"title_{code}", _("Add the title too, or leave both empty."))
        return data

    def texts(self) -> dict[str, str]:
        names = ("title_de", "title_es", "body_en", "body_de", "body_es")
        return {name: self.cleaned_data.get(name) or "" for name in names}
