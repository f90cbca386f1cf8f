"""The bulk-invalidation and release forms: every field bounded, every error a sentence.

The forms turn what a moderator typed into the stored criteria (signatures/invalidation.py);
a network address becomes its keyed hash here and is never stored or logged as typed.
"""

from __future__ import annotations

import ipaddress
import re
from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from undersigned.signatures import invalidation as inv
from undersigned.signatures.models import HeldReason
from undersigned.signatures.network import HASH_LENGTH, cidr_to_subnet_range, hash_client_address

NAME_PATTERN_MAX = 100
NAME_PATTERN_MIN_LETTERS = 2
REASON_MAX = 300  # Invalidation.reason
DOMAIN_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$")
HASH_RE = re.compile(rf"^[A-Za-z0-9_-]{{{HASH_LENGTH}}}$")
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
StrOrPromise = Any  # a str or a lazy translation
CONTROL_CHARACTERS = _("This field contains invisible control characters.")


def _moment_field(label: StrOrPromise, help_text: StrOrPromise) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label, required=False, help_text=help_text,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        error_messages={"invalid": _("Enter a date and time such as 2026-03-01T14:30.")},
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )  # fmt: skip


def _held_choices(any_label: StrOrPromise) -> list[tuple[str, Any]]:
    return [(inv.HELD_ANY, any_label)] + [
        (value, label) for value, label in HeldReason.choices if value
    ]


class WindowMixin(forms.Form):
    created_from = _moment_field(_("Signed from"), _("Optional. Local time, inclusive."))
    created_to = _moment_field(_("Signed before"), _("Optional. Local time, exclusive."))

    def clean_window(self, cleaned: dict[str, Any]) -> None:
        start, end = cleaned.get("created_from"), cleaned.get("created_to")
        latest = timezone.now() + timedelta(days=1)
        for name, moment in (("created_from", start), ("created_to", end)):
            earliest = datetime(2000, 1, 1, tzinfo=moment.tzinfo) if moment else None
            if moment is not None and earliest is not None and not earliest <= moment <= latest:
                self.add_error(name, _("Enter a time between the year 2000 and tomorrow."))
        if start is not None and end is not None and start >= end:
            self.add_error("created_to", _("“Signed before” must be later than “Signed from”."))


class CriteriaForm(WindowMixin):
    """Which valid signatures of the petition to invalidate; every filled criterion must hold.

    The name pattern is offered only with `name_criteria=True` — to roles that may see names
    anyway (Action.VIEW_PERSONAL_DATA). For anyone else a preview's count would be an oracle
    on names (docs/fraud-review.md, "Why moderators have no name criterion"): the field is
    left out, and a name_pattern sent regardless is ignored.
    """

    address = forms.CharField(
        label=_("Network address"), required=False, max_length=45,
        help_text=_("One address (203.0.113.7 or 2001:db8::7), or an address label from the "
                    "fraud-signals page. Matched by its keyed hash; the address is not stored."),
        error_messages={"max_length": _("An address has at most 45 characters."),
                        "null_characters_not_allowed": CONTROL_CHARACTERS},
    )  # fmt: skip
    cidr = forms.CharField(
        label=_("Network range (CIDR)"), required=False, max_length=49,
        help_text=_("For example 203.0.113.0/24 or 2001:db8::/48. Only whole /24 (IPv4) and "
                    "/64 (IPv6) networks are recorded, so narrower ranges cannot be matched."),
        error_messages={"max_length": _("A range has at most 49 characters."),
                        "null_characters_not_allowed": CONTROL_CHARACTERS},
    )  # fmt: skip
    email_domain = forms.CharField(
        label=_("Email domain"), required=False, max_length=253,
        help_text=_("The part after the @, for example example.org. Exact match."),
        error_messages={"max_length": _("A domain has at most 253 characters."),
                        "null_characters_not_allowed": CONTROL_CHARACTERS},
    )  # fmt: skip
    country = forms.ChoiceField(
        label=_("Country"), required=False, choices=[("", _("Any country")), *countries],
        error_messages={"invalid_choice": _("Choose a country from the list.")},
    )  # fmt: skip
    name_pattern = forms.CharField(
        label=_("Name pattern"), required=False, max_length=NAME_PATTERN_MAX,
        help_text=_("The whole name, ignoring case; * stands for any characters, for "
                    "example “*bot*” or “john*”. At least two letters or digits."),
        error_messages={"max_length": _("Keep the name pattern to 100 characters or fewer."),
                        "null_characters_not_allowed": CONTROL_CHARACTERS},
    )  # fmt: skip
    held = forms.ChoiceField(
        label=_("Held signatures only"), required=False,
        choices=[("", _("Held or not")), *_held_choices(_("Held for any reason"))],
        error_messages={"invalid_choice": _("Choose one of the listed options.")},
    )  # fmt: skip

    def __init__(self, *args: Any, name_criteria: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not name_criteria:
            del self.fields["name_pattern"]

    def clean_address(self) -> str:
        value = self.cleaned_data["address"].strip()
        if not value or HASH_RE.match(value):
            return value
        try:
            ipaddress.ip_address(value)
        except ValueError:
            raise forms.ValidationError(
                _("Enter one address such as 203.0.113.7, or a 24-character address label.")
            ) from None
        return hash_client_address(value)

    def clean_cidr(self) -> list[str] | None:
        value = self.cleaned_data["cidr"].strip()
        if not value:
            return None
        try:
            network = ipaddress.ip_network(value, strict=False)
        except ValueError:
            raise forms.ValidationError(
                _("Enter a range such as 203.0.113.0/24 or 2001:db8::/48.")
            ) from None
        if isinstance(network, ipaddress.IPv6Network) and network.prefixlen >= 96:
            mapped = network.network_address.ipv4_mapped  # ::ffff:203.0.113.0/120 is IPv4
            if mapped is not None:
                network = ipaddress.ip_network(f"{mapped}/{network.prefixlen - 96}")
        finest, widest = (24, 8) if network.version == 4 else (64, 16)
        if network.prefixlen > finest:
            raise forms.ValidationError(
                _("Only whole /%(finest)d networks are recorded, so /%(given)d cannot be "
                  "matched. Use /%(finest)d (or wider), or the address field for one address."),
                params={"finest": finest, "given": network.prefixlen},
            )  # fmt: skip
        if network.prefixlen < widest:
            raise forms.ValidationError(
                _("That range is too wide; use /%(widest)d or narrower."),
                params={"widest": widest},
            )
        return [str(network), *cidr_to_subnet_range(str(network))]

    def clean_email_domain(self) -> str:
        value = self.cleaned_data["email_domain"].strip().lower().removeprefix("@")
        if value and not DOMAIN_RE.match(value):
            raise forms.ValidationError(_("Enter a domain such as example.org, without the @."))
        return value

    def clean_name_pattern(self) -> str:
        value = " ".join(self.cleaned_data["name_pattern"].split())
        if value and sum(ch.isalnum() for ch in value) < NAME_PATTERN_MIN_LETTERS:
            raise forms.ValidationError(
                _("A name pattern needs at least two letters or digits besides the *.")
            )
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.clean_window(cleaned)
        if not self.errors and not self.criteria():
            raise forms.ValidationError(
                _("Fill in at least one criterion: a whole petition cannot be invalidated.")
            )
        return cleaned

    def criteria(self) -> dict[str, Any]:
        """The stored form of the criteria (only those filled in)."""
        data = self.cleaned_data
        found: dict[str, Any] = {
            inv.ADDRESS_HASH: data.get("address"),
            inv.EMAIL_DOMAIN: data.get("email_domain"),
            inv.COUNTRY: data.get("country"),
            inv.NAME_PATTERN: data.get("name_pattern"),
            inv.HELD: data.get("held"),
        }
        if data.get("cidr"):
            found[inv.CIDR], lo, hi = data["cidr"]
            found[inv.SUBNET_RANGE] = [lo, hi]
        for key, name in ((inv.CREATED_FROM, "created_from"), (inv.CREATED_TO, "created_to")):
            if data.get(name):
                found[key] = data[name].isoformat()
        return {key: value for key, value in found.items() if value}


class ConfirmForm(forms.Form):
    """The second step: why, and the number the moderator saw."""

    reason = forms.CharField(
        label=_("Reason"), max_length=REASON_MAX,
        help_text=_("Recorded with the invalidation, for example “bot surge from one network "
                    "on 1 March”. Do not write signers' names or email addresses here."),
        error_messages={"required": _("Give the reason for this invalidation."),
                        "max_length": _("Keep the reason to 300 characters or fewer."),
                        "null_characters_not_allowed": CONTROL_CHARACTERS},
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    expected_count = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class ReleaseForm(WindowMixin):
    reason = forms.ChoiceField(
        label=_("Held because"), choices=_held_choices(_("Any reason")),
        error_messages={"required": _("Choose which held signatures to release."),
                        "invalid_choice": _("Choose one of the listed reasons.")},
    )  # fmt: skip
    expected_count = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.clean_window(cleaned)
        return cleaned
