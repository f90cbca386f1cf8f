"""The forms of "manage my data": every field bounded, every error a plain sentence."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from undersigned.core.honeypot import HoneypotForm
from undersigned.signatures.forms import email_address_field, validated_email


class MyDataRequestForm(HoneypotForm):
    email = email_address_field(
        _("The address you signed with. We email you a link that works for one hour.")
    )

    def clean_email(self) -> str:
        return validated_email(self.cleaned_data["email"].strip()).normalized


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
