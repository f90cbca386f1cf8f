"""Forms of the petition's "Milestones and outcome" page: every field limited, every
message translated (the rules themselves are petitions/outcomes.py's)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import FileExtensionValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from undersigned.petitions.models import Outcome

LANGUAGES = (("en", _("English")), ("de", _("German")), ("es", _("Spanish")))
MILESTONE_MAX = 1_000_000_000
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024


def _text(label: Any, max_length: int, *, textarea: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=max_length, required=False,
        widget=forms.Textarea(attrs={"rows": 5}) if textarea else forms.TextInput,
        error_messages={
            "max_length": _("Keep this to %(limit_value)s characters or fewer."),
            "null_characters_not_allowed": _("This contains invisible control characters."),
        },
    )  # fmt: skip


def _date(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        error_messages={
            "required": _("Enter the date."),
            "invalid": _("Enter the date as year-month-day, for example 2021-01-04."),
        },
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class MilestoneForm(forms.Form):
    count = forms.IntegerField(
        label=_("Number of signatures"), required=False, min_value=1, max_value=MILESTONE_MAX,
        help_text=_("Leave empty for “the petition's goal reached”."),
        error_messages={
            "invalid": _("Enter a whole number, for example 50000."),
            "min_value": _("A milestone's number of signatures must be at least 1."),
            "max_value": _("A milestone cannot be above one billion signatures."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )  # fmt: skip
    auto_send = forms.BooleanField(
        label=_("Email the signers who asked for updates as soon as it is reached"),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for code, name in LANGUAGES:
            self.fields[f"note_{code}"] = _text(
                _("Public note (%(language)s)") % {"language": name}, 300
            )
            self.fields[f"email_subject_{code}"] = _text(
                _("Email subject (%(language)s)") % {"language": name}, 200
            )
            self.fields[f"email_body_{code}"] = _text(
                _("Email text, Markdown (%(language)s)") % {"language": name}, 10_000,
                textarea=True,
            )  # fmt: skip

    @staticmethod
    def initial_of(milestone: Any) -> dict[str, Any]:
        names = [f"{field}_{code}" for field in ("note", "email_subject", "email_body")
                 for code, _name in LANGUAGES]  # fmt: skip
        return {
            "count": milestone.count, "auto_send": milestone.auto_send,
            **{name: getattr(milestone, name) for name in names},
        }  # fmt: skip

    def fields_to_save(self) -> dict[str, Any]:
        data = self.cleaned_data
        names = [f"{field}_{code}" for field in ("note", "email_subject", "email_body")
                 for code, _name in LANGUAGES]  # fmt: skip
        return {"auto_send": data["auto_send"], **{name: data[name] or "" for name in names}}


class ResponseForm(forms.Form):
    responded_on = _date(_("Date of the response"))
    link = forms.URLField(
        label=_("Link to the response"), required=False, max_length=500, assume_scheme="https",
        error_messages={
            "invalid": _("Enter a full web address, for example https://gov.example/answer."),
            "max_length": _("Keep the link to 500 characters or fewer."),
        },
    )  # fmt: skip
    document = forms.FileField(
        label=_("The response as a PDF document"), required=False,
        validators=[FileExtensionValidator(["pdf"], message=_("Upload a PDF document."))],
        error_messages={"empty": _("The document is empty.")},
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for code, name in LANGUAGES:
            self.fields[f"body_{code}"] = _text(
                _("The response, Markdown (%(language)s)") % {"language": name}, 20_000,
                textarea=True,
            )  # fmt: skip
        self.fields["body_en"].required = True
        self.fields["body_en"].error_messages["required"] = _("Enter the response in English.")
        self.fields["responded_on"].initial = timezone.localdate()

    def clean_document(self) -> Any:
        document = self.cleaned_data.get("document")
        if document is not None and document.size > DOCUMENT_MAX_BYTES:
            raise forms.ValidationError(_("The document must be 10 MB or smaller."))
        if document is not None and not document.read(5).startswith(b"%PDF-"):
            raise forms.ValidationError(_("Upload a PDF document."))
        if document is not None:
            document.seek(0)
        return document

    def bodies(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(f"body_{code}") or "" for code, _name in LANGUAGES}


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("New outcome"), choices=Outcome.choices,
        error_messages={
            "required": _("Choose the new outcome."),
            "invalid_choice": _("Choose one of the outcomes listed."),
        },
    )  # fmt: skip
    changed_on = _date(_("Date"))
    note = _text(_("Note (shown in the history and the email)"), 500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["changed_on"].initial = timezone.localdate()
