"""The forms of "manage my data": every field bounded, every error a plain sentence."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from email_validator import EmailNotValidError, validate_email

EMAIL_MAX_LENGTH = 254


class MyDataRequestForm(forms.Form):
    email = forms.CharField(
        label=_("Your email address"),
        max_length=EMAIL_MAX_LENGTH,
        help_text=_("The address you signed with. We email you a link that works for one hour."),
        error_messages={
            "required": _("Please enter your email address."),
            "max_length": _("An email address is at most 254 characters long."),
            "null_characters_not_allowed": _(
                "This does not look like an email address; please check it (name@example.org)."
            ),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
    )
    # A field people never see; bots that fill every input fill this one too.
    website = forms.CharField(required=False, max_length=200, label=_("Leave this empty"))

    def clean_email(self) -> str:
        raw = self.cleaned_data["email"].strip()
        try:
            checked = validate_email(raw, check_deliverability=False)
        except EmailNotValidError:
            raise forms.ValidationError(
                _("This does not look like an email address; please check it (name@example.org).")
            ) from None
        return checked.normalized

    @property
    def is_bot(self) -> bool:
        return bool(self.cleaned_data.get("website"))


class SignatureChoiceForm(forms.Form):
    """Which of their signatures the signer means (checked against the session's address)."""

    signature = forms.IntegerField(
        min_value=1,
        max_value=2**63 - 1,
        error_messages={
            "required": _("Please choose a signature."),
            "invalid": _("Please choose a signature from the list."),
            "min_value": _("Please choose a signature from the list."),
            "max_value": _("Please choose a signature from the list."),
        },
    )


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that this deletes all my signatures and cannot be undone."),
        error_messages={"required": _("Please tick the box to confirm that you want this.")},
    )
