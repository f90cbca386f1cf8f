"""The sign form: every field bounded, every error a sentence a signer understands."""

from __future__ import annotations

import copy
import functools
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.validators import EMPTY_VALUES
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from email_validator import EmailNotValidError, ValidatedEmail, validate_email

from undersigned.core.honeypot import FIELD_NAME, HoneypotForm
from undersigned.core.honeypot import MAX_LENGTH as HONEYPOT_MAX_LENGTH
from undersigned.signatures.email_checks import is_disposable, suggest_domain

NAME_MAX_LENGTH = 100
EMAIL_MAX_LENGTH = 254
# The hidden field carrying an address the signer was already warned about (see clean_email).
EMAIL_CHECKED_FIELD = "email_checked"

OPT_IN_LABEL = _("Keep me informed about this case by email (you can unsubscribe at any time).")


def consent_label() -> str:
    """The consent checkbox's label in the active language (consent.py records it)."""
    return format_html(
        str(
            _(
                "I agree that my name and country are counted and handed to the petition's "
                'target, as the <a href="{url}">privacy notice</a> explains.'
            )
        ),
        url=reverse("web:privacy"),
    )


@functools.cache
def _country_codes() -> frozenset[str]:
    return frozenset(countries.countries)


class CountrySelect(forms.Select):
    """The translated list of countries, built only when the form is shown.

    A ChoiceField would deep-copy and scan its ~250 translated choices on every submission;
    validating a two-letter code needs only the set of codes.
    """

    @property  # type: ignore[override]
    def choices(self) -> list[tuple[str, str]]:
        return [("", str(_("Choose your country"))), *countries]

    @choices.setter
    def choices(self, value: object) -> None:
        pass  # always the full country list

    def __deepcopy__(self, memo: dict) -> CountrySelect:
        copied = copy.copy(self)
        copied.attrs = self.attrs.copy()
        memo[id(self)] = copied
        return copied


NOT_AN_EMAIL_ADDRESS = _(
    "This does not look like an email address; please check it (name@example.org)."
)


def email_address_field(help_text: Any) -> forms.CharField:
    """An email address field, bounded, with the messages every public form uses."""
    return forms.CharField(
        label=_("Your email address"),
        max_length=EMAIL_MAX_LENGTH,
        help_text=help_text,
        error_messages={
            "required": _("Please enter your email address."),
            "max_length": _("An email address is at most 254 characters long."),
            "null_characters_not_allowed": NOT_AN_EMAIL_ADDRESS,
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
    )


def validated_email(raw: str) -> ValidatedEmail:
    """The address checked for its syntax (no DNS lookup), or a ValidationError people read."""
    try:
        return validate_email(raw, check_deliverability=False)
    except EmailNotValidError:
        raise forms.ValidationError(NOT_AN_EMAIL_ADDRESS) from None


class SignForm(HoneypotForm):
    # The address just warned about as a likely typo; the form carries it back (hidden).
    typo_warned_email = ""

    name = forms.CharField(
        label=_("Your name"),
        max_length=NAME_MAX_LENGTH,
        error_messages={
            "required": _("Please enter your name."),
            "max_length": _("Please keep your name to 100 characters or fewer."),
            "null_characters_not_allowed": _("Your name contains invisible control characters."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = email_address_field(
        _("We send you a link to confirm your signature. It is never shown publicly.")
    )
    country = forms.CharField(
        label=_("Your country"),
        max_length=2,
        error_messages={
            "required": _("Please choose your country."),
            "max_length": _("Please choose a country from the list."),
        },
        widget=CountrySelect(attrs={"autocomplete": "country"}),
    )
    privacy_consent = forms.BooleanField(
        label=lazy(consent_label, str)(),
        error_messages={"required": _("Please agree to the privacy notice to sign.")},
    )
    updates_opt_in = forms.BooleanField(
        label=OPT_IN_LABEL,
        required=False,
    )

    def clean_name(self) -> str:
        return checked_name(self.cleaned_data["name"])

    def clean_email(self) -> str:
        raw = self.cleaned_data["email"].strip()
        try:
            return checked_email(raw, self.data.get(EMAIL_CHECKED_FIELD, ""))
        except LikelyTypo:
            # Without JavaScript the warning is a re-rendered form; the same address sent
            # again (the hidden field carries it) is the signer saying "yes, I mean it".
            self.typo_warned_email = raw
            raise

    def clean_country(self) -> str:
        return checked_country(self.cleaned_data["country"])


# The rules of the sign form's own fields, shared by SignForm and read_signer (and the other
# public forms that ask for a name and an address).


class LikelyTypo(forms.ValidationError):
    """The address's domain looks like a slip of a well-known one."""


def checked_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise forms.ValidationError(_("Please enter your name."))
    if "\ufffd" in name:
        raise forms.ValidationError(
            _("Your name contains characters we could not read. Please type it again.")
        )
    if any(unicodedata.category(char) in {"Cc", "Cs", "Co", "Cn"} for char in name):
        raise forms.ValidationError(_("Your name contains invisible control characters."))
    if any(char in "<>" for char in name):
        raise forms.ValidationError(_("Please leave out the characters < and >."))
    return name


def checked_email(raw: str, warned: object) -> str:
    """The address as it is stored (email-validator's normal form). `warned` is the address
    the signer was already warned about as a likely typo (the hidden EMAIL_CHECKED_FIELD)."""
    checked = validated_email(raw)
    domain = checked.ascii_domain.lower()
    # The typo first: some typo domains (gmial.com) are disposable traps, and a person
    # who slipped needs "did you mean gmail.com?", not a refusal.
    suggestion = suggest_domain(domain)
    if suggestion and str(warned or "")[:EMAIL_MAX_LENGTH].strip().lower() != raw.lower():
        raise LikelyTypo(
            _(
                "%(domain)s — did you mean %(suggestion)s? Please check your address. "
                "If it is right, send the form again as it is."
            ),
            params={"domain": domain, "suggestion": suggestion},
        )
    if is_disposable(domain):
        raise forms.ValidationError(
            _(
                "Addresses from disposable email services cannot sign: we need to reach you "
                "to confirm your signature and, if you wish, about the case. Please use "
                "an address you keep."
            )
        )
    return checked.normalized


def checked_country(code: str) -> str:
    code = code.strip().upper()
    if code not in _country_codes():
        raise forms.ValidationError(_("Please choose a country from the list."))
    return code


@dataclass(frozen=True)
class Signer:
    """A sign form's fields, checked: what sign_petition is given."""

    name: str
    email: str
    country: str
    updates_opt_in: bool
    is_bot: bool  # the honeypot was filled in


def read_signer(data: Mapping[str, Any]) -> Signer | None:
    """The posted sign form checked exactly as SignForm checks it — the same limits and rules,
    the same cleaned values — but without building a form (Django copies every field of a form
    for each instance; a surge of signatures paid for that on every request). None if any
    field is invalid: the caller then builds SignForm(data), whose errors say which and why
    (tests/signatures/test_read_signer.py holds the two to the same answers)."""
    try:
        website = _text(data, FIELD_NAME, HONEYPOT_MAX_LENGTH, required=False)
        name = checked_name(_text(data, "name", NAME_MAX_LENGTH))
        email = checked_email(_text(data, "email", EMAIL_MAX_LENGTH), data.get(EMAIL_CHECKED_FIELD))
        country = checked_country(_text(data, "country", 2))
    except forms.ValidationError:
        return None
    if not _ticked(data, "privacy_consent"):
        return None
    return Signer(name, email, country, _ticked(data, "updates_opt_in"), is_bot=bool(website))


def _text(data: Mapping[str, Any], name: str, max_length: int, *, required: bool = True) -> str:
    """A CharField's value: stripped; refused when missing (if required), longer than
    max_length or holding a NUL character."""
    value = data.get(name)
    value = "" if value in EMPTY_VALUES else str(value).strip()
    if (required and not value) or len(value) > max_length or "\x00" in value:
        raise forms.ValidationError("")
    return value


def _ticked(data: Mapping[str, Any], name: str) -> bool:
    """A checkbox's value as Django's CheckboxInput reads it ("false" is not ticked)."""
    if name not in data:
        return False
    value = data.get(name)
    if isinstance(value, str):
        return {"true": True, "false": False}.get(value.lower(), bool(value))
    return bool(value)
