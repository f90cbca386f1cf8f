"""`criteria|criteria_summary`: a stored invalidation's criteria, as (label, value) to read."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import template
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_countries import countries

from undersigned.signatures import invalidation as inv
from undersigned.signatures.models import HeldReason

register = template.Library()


def _moment(value: str) -> str:
    moment = parse_datetime(value)
    return date_format(moment, "SHORT_DATETIME_FORMAT") if moment else value


@register.filter
def criteria_summary(criteria: dict[str, Any], names: bool = False) -> list[tuple[str, str]]:
    """Without `names` (a role that may not see signers' names), a name pattern someone else
    entered is shown as withheld: it may itself be a signer's name."""
    held = dict(HeldReason.choices)
    readers: list[tuple[str, str, Callable[[Any], str]]] = [
        (inv.ADDRESS_HASH, _("address label"), str),
        (inv.CIDR, _("network range"), str),
        (inv.EMAIL_DOMAIN, _("email domain"), str),
        (inv.COUNTRY, _("country"), lambda code: countries.name(code) or code),
        (inv.NAME_PATTERN, _("name pattern"), str if names else lambda _v: _("(withheld)")),
        (inv.CREATED_FROM, _("signed from"), _moment),
        (inv.CREATED_TO, _("signed before"), _moment),
        (
            inv.HELD,
            _("held"),
            lambda v: _("for any reason") if v == inv.HELD_ANY else str(held.get(v, v)),
        ),
        (inv.SIGNATURE_IDS, _("chosen one by one"), lambda ids: _("%d signatures") % len(ids)),
    ]
    return [(label, read(criteria[key])) for key, label, read in readers if criteria.get(key)]
