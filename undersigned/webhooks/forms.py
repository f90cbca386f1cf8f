"""The back office's webhook form: a name, the URL, the events, whether personal data goes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from undersigned.webhooks.models import SUBSCRIBABLE, URL_MAX_LENGTH, EventType
from undersigned.webhooks.transport import url_problem

NAME_MAX_LENGTH = 100


class EndpointForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=NAME_MAX_LENGTH,
        help_text=_("For you, for example “CiviCRM” or “Partner sync”."),
        error_messages={
            "required": _("Enter a name for the webhook."),
            "max_length": _("Keep the name to 100 characters or fewer."),
            "null_characters_not_allowed": _("The name contains invisible control characters."),
        },
    )
    url = forms.CharField(
        label=_("URL"),
        max_length=URL_MAX_LENGTH,
        help_text=_("The receiver's address; it must start with https://."),
        widget=forms.URLInput,
        error_messages={
            "required": _("Enter the receiver's URL."),
            "max_length": _("Keep the URL to 500 characters or fewer."),
            "null_characters_not_allowed": _("The URL contains invisible control characters."),
        },
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=[(value, label) for value, label in EventType.choices if value in SUBSCRIBABLE],
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one event."),
            "invalid_choice": _("Choose events from the list."),
            "invalid_list": _("Choose events from the list."),
        },
    )
    personal_data = forms.BooleanField(
        label=_("Send signers' names, email addresses and languages"),
        required=False,
        help_text=_(
            "Only with “signature confirmed”. Without it the receiver gets identifiers, dates and"
            " countries. Erasures never carry personal data."
        ),
    )

    def clean_url(self) -> str:
        url: str = self.cleaned_data["url"].strip()
        problem = url_problem(url)
        if problem == "scheme":
            raise forms.ValidationError(_("The URL must start with https://."))
        if problem == "address":
            raise forms.ValidationError(
                _("The URL points to a private or local address; use a public one.")
            )
        if problem is not None or any(character.isspace() for character in url):
            raise forms.ValidationError(
                _("Enter a URL like https://crm.example.org/webhooks/undersigned.")
            )
        return url
