"""The back office's forms for partners: a new API key, and a petition's partner policy."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from undersigned.campaigns.models import Organisation
from undersigned.partners.models import Scope

NAME_MAX_LENGTH = 100


class ApiKeyForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        empty_label=None,
        error_messages={
            "required": _("Choose the organisation the key belongs to."),
            "invalid_choice": _("Choose one of your organisations."),
        },
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=NAME_MAX_LENGTH,
        help_text=_("Who uses it and for what, e.g. “CiviCRM sync” or “Partner: Riverside NGO”."),
        error_messages={
            "required": _("Give the key a name, so the audit log can say who used it."),
            "max_length": _("Keep the name to 100 characters or fewer."),
            "null_characters_not_allowed": _("The name contains invisible control characters."),
        },
    )
    scopes = forms.MultipleChoiceField(
        label=_("What the key may do"),
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one thing the key may do."),
            "invalid_choice": _("Choose from the list."),
        },
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(
                _("Give the key a name, so the audit log can say who used it.")
            )
        return name

    def clean_scopes(self) -> list[str]:
        scopes = self.cleaned_data["scopes"]
        if Scope.READ_PERSONAL_DATA in scopes and Scope.READ_SIGNATURES not in scopes:
            raise forms.ValidationError(
                _("Reading names and emails needs “read signatures” too; tick both, or neither.")
            )
        return scopes


class PartnerPolicyForm(forms.Form):
    accepts_partner_verified = forms.BooleanField(
        label=_(
            "Count signatures that a partner verified, without the signer's email confirmation"
        ),
        required=False,
        help_text=_(
            "Only for partners you trust to have checked each signer's address themselves. "
            "These signatures are marked and counted separately; anything else a partner "
            "records counts only once the signer confirms by email."
        ),
    )
