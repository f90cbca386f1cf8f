"""The forms of a public petition: every field bounded, every error a sentence people read."""

from __future__ import annotations

import unicodedata
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from undersigned.core.honeypot import HoneypotForm
from undersigned.proposals import models as m
from undersigned.signatures.forms import SignForm, email_address_field

_NEWLINES = {"\n", "\r", "\t"}


def _clean_text(value: str, *, multiline: bool) -> str:
    text = value.replace("\r\n", "\n").strip()
    if not multiline:
        text = " ".join(text.split())
    if any(
        unicodedata.category(char) in {"Cc", "Cs", "Co", "Cn"} and char not in _NEWLINES
        for char in text
    ):
        raise forms.ValidationError(_("The text contains invisible control characters."))
    return text


def _text_field(
    label: Any, max_length: int, min_length: int, help_text: Any = "", *, multiline: bool = False
) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": 6}) if multiline else forms.TextInput()
    return forms.CharField(
        label=label, max_length=max_length, min_length=min_length, help_text=help_text,
        widget=widget,
        error_messages={
            "required": _("Please fill in this field."),
            "max_length": _("Please keep this to %(limit_value)d characters or fewer."),
            "min_length": _("Please write at least %(limit_value)d characters."),
            "null_characters_not_allowed": _("The text contains invisible control characters."),
        },
    )  # fmt: skip


class _PersonFields(HoneypotForm):
    """Name and email checked exactly as on the sign form; the honeypot catches bots."""

    name = SignForm.base_fields["name"]
    email = email_address_field(_("We send you a link to confirm. It is never shown publicly."))

    clean_name = SignForm.clean_name
    clean_email = SignForm.clean_email


class DraftForm(_PersonFields):
    title = _text_field(
        _("Title"), m.TITLE_MAX_LENGTH, 10, _("A short sentence people can repeat.")
    )
    action = _text_field(
        _("What should happen"), m.ACTION_MAX_LENGTH, 20,
        _("The action you ask for, e.g. “Release the journalist held since May”."),
        multiline=True,
    )  # fmt: skip
    background = _text_field(
        _("Background"), m.BACKGROUND_MAX_LENGTH, 50,
        _("Why it matters: the facts a reader needs. No private people's details."),
        multiline=True,
    )  # fmt: skip
    target = _text_field(
        _("Addressed to"), m.TARGET_MAX_LENGTH, 3,
        _("Who can make it happen, e.g. “The Minister of Justice”."),
    )  # fmt: skip
    field_order = ["title", "action", "background", "target", "name", "email"]

    def clean_title(self) -> str:
        return _clean_text(self.cleaned_data["title"], multiline=False)

    def clean_action(self) -> str:
        return _clean_text(self.cleaned_data["action"], multiline=True)

    def clean_background(self) -> str:
        return _clean_text(self.cleaned_data["background"], multiline=True)

    def clean_target(self) -> str:
        return _clean_text(self.cleaned_data["target"], multiline=False)


class SponsorForm(_PersonFields):
    pass


class DecisionForm(forms.Form):
    """A moderator's decision: publish, or reject with one of the standard reasons."""

    decision = forms.ChoiceField(
        choices=[("publish", _("Publish")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose a decision.")},
    )
    reason = forms.ChoiceField(
        label=_("Reason for rejecting"),
        choices=[("", _("Choose a reason")), *m.RejectionReason.choices],
        required=False,
        help_text=_(
            "Offensive, libellous and personal-data rejections hide the text from the public "
            "page; the others keep it visible with the reason."
        ),
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("decision") == "reject" and not data.get("reason"):
            self.add_error("reason", _("Please choose the reason for rejecting."))
        return data
