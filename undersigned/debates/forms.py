"""The debate's forms: every field bounded, every error a sentence people read.

A reader's contribution takes name and email exactly as the sign form does (the one email
field, disposable domains refused, the honeypot), and the argument's rules from validation.py.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from undersigned.core.honeypot import HoneypotForm
from undersigned.debates import models as m
from undersigned.debates.validation import (
    ArgumentRefused,
    SourceInput,
    check_claim,
    check_explanation,
    check_source_url,
)
from undersigned.signatures.forms import SignForm, email_address_field

_LIMIT = _("Please keep this to %(limit_value)d characters or fewer.")


def _text(
    label: Any, max_length: int, *, required: bool = True, rows: int = 0, help_text: Any = ""
) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=max_length, required=required, help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput(),
        error_messages={
            "required": _("Please fill in this field."), "max_length": _LIMIT,
            "null_characters_not_allowed": _("The text contains invisible control characters."),
        },
    )  # fmt: skip


def _refused_as_error(check: Any, value: str) -> str:
    try:
        return check(value)
    except ArgumentRefused as refused:
        raise forms.ValidationError(str(refused)) from None


class ContributionForm(HoneypotForm):
    side = forms.ChoiceField(
        label=_("Your argument is"), choices=[("", _("Choose a side")), *m.Side.choices],
        error_messages={"required": _("Please choose a side."),
                        "invalid_choice": _("Please choose a side.")},
    )  # fmt: skip
    replies_to = forms.TypedChoiceField(
        label=_("It answers (optional)"), coerce=int, required=False, empty_value=None,
        help_text=_("A rebuttal answers one argument of the other side."),
        error_messages={"invalid_choice": _("Please choose an argument from the list.")},
    )  # fmt: skip
    claim = _text(
        _("Your claim"), m.CLAIM_MAX_LENGTH,
        help_text=_("One sentence, at most 200 characters."),
    )  # fmt: skip
    explanation = _text(
        _("Explanation (optional)"), m.EXPLANATION_MAX_LENGTH, required=False, rows=6,
        help_text=_("Markdown: *emphasis*, lists and links. At most 3,000 characters."),
    )  # fmt: skip
    source_url = _text(
        _("Source: web address"), m.SOURCE_URL_MAX_LENGTH, required=False,
        help_text=_("A public page that supports your claim, starting with https://"),
    )  # fmt: skip
    source_title = _text(_("Source: title"), m.SOURCE_TITLE_MAX_LENGTH, required=False)
    source_date = forms.DateField(
        label=_("Source: date (optional)"), required=False,
        help_text=_("For example 2016-02-05."),
        error_messages={"invalid": _("Please give the date as year-month-day, e.g. 2016-02-05.")},
    )  # fmt: skip
    name = SignForm.base_fields["name"]
    email = email_address_field(
        _("We send you a link to confirm. Your name and email are never shown publicly.")
    )
    clean_name = SignForm.clean_name
    clean_email = SignForm.clean_email

    def __init__(self, *args: Any, debate: m.Debate, answerable: list[m.Argument], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.debate = debate
        self.answerable = {argument.pk: argument for argument in answerable}
        self.fields["replies_to"].choices = [  # type: ignore[attr-defined]
            ("", _("No: a new argument")),
            *((a.pk, f"{a.get_side_display()}: {a.claim}") for a in answerable),
        ]

    def clean_claim(self) -> str:
        return _refused_as_error(check_claim, self.cleaned_data["claim"])

    def clean_explanation(self) -> str:
        return _refused_as_error(check_explanation, self.cleaned_data["explanation"])

    def clean_source_url(self) -> str:
        url = self.cleaned_data["source_url"].strip()
        return _refused_as_error(check_source_url, url) if url else ""

    def clean(self) -> dict:
        data = super().clean() or {}
        url, title = data.get("source_url"), (data.get("source_title") or "").strip()
        if url and not title:
            self.add_error("source_title", _("Please give the source's title."))
        if not url and "source_url" not in self.errors:
            if self.debate.sources_required:
                self.add_error("source_url", _("This debate asks for a source for every argument."))
            elif title:
                self.add_error("source_url", _("Please give the source's web address."))
        reply = self.answerable.get(data.get("replies_to") or 0)
        if reply is not None and data.get("side") == reply.side:
            self.add_error("replies_to", _("A rebuttal answers an argument of the other side."))
        data["replies_to_argument"] = reply
        return data

    def sources(self) -> list[SourceInput]:
        data = self.cleaned_data
        if not data.get("source_url"):
            return []
        return [SourceInput(data["source_url"], data["source_title"], data.get("source_date"))]


class StanceForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Your answer"), choices=m.Stance.choices, widget=forms.RadioSelect,
        error_messages={"required": _("Please choose an answer."),
                        "invalid_choice": _("Please choose an answer.")},
    )  # fmt: skip


class DecisionForm(forms.Form):
    """A moderator's decision: publish, correct typos, or reject with a standard reason."""

    decision = forms.ChoiceField(
        choices=[("publish", _("Publish")), ("correct", _("Correct typos and publish")),
                 ("reject", _("Reject"))],
        widget=forms.RadioSelect, error_messages={"required": _("Please choose a decision.")},
    )  # fmt: skip
    reason = forms.ChoiceField(
        label=_("Reason for rejecting"), required=False,
        choices=[("", _("Choose a reason")), *m.RejectionReason.choices],
    )  # fmt: skip
    claim = _text(_("Claim"), m.CLAIM_MAX_LENGTH, required=False)
    explanation = _text(_("Explanation"), m.EXPLANATION_MAX_LENGTH, required=False, rows=6)

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("decision") == "reject" and not data.get("reason"):
            self.add_error("reason", _("Please choose the reason for rejecting."))
        if data.get("decision") == "correct":
            try:
                data["claim"] = check_claim(data.get("claim") or "")
            except ArgumentRefused as refused:
                self.add_error("claim", str(refused))
        return data


class CloseForm(forms.Form):
    conclusion = _text(
        _("Conclusion"), m.CONCLUSION_MAX_LENGTH, rows=8,
        help_text=_("What the debate showed, in Markdown. Required to close it."),
    )  # fmt: skip
