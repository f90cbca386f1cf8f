"""Factories: each builds the smallest valid object and takes overrides as keywords."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from undersigned.campaigns.models import Case, DatePrecision, Organisation, TimelineEntry
from undersigned.core.formtoken import issue_form_token
from undersigned.petitions.models import Petition, PetitionStatus

_sequence = itertools.count(1)


def make_organisation(**fields: Any) -> Organisation:
    n = next(_sequence)
    return Organisation.objects.create(**{"name": f"Org {n}", "slug": f"org-{n}", **fields})


def make_case(**fields: Any) -> Case:
    n = next(_sequence)
    if "organisation" not in fields:
        fields["organisation"] = make_organisation()
    defaults = {
        "slug": f"case-{n}", "title_en": f"Case {n}", "summary_en": "A person at risk.",
        "story_en": "Their **story**.", "is_published": True,
    }  # fmt: skip
    return Case.objects.create(**{**defaults, **fields})


def make_timeline_entry(
    case: Case, on: date, precision: str = DatePrecision.DAY, **fields: Any
) -> TimelineEntry:
    defaults = {"title_en": f"Event {next(_sequence)}"}
    return TimelineEntry.objects.create(
        case=case, date=on, precision=precision, **{**defaults, **fields}
    )


def make_petition(**fields: Any) -> Petition:
    n = next(_sequence)
    if "case" not in fields:
        fields["case"] = make_case()
    defaults = {
        "slug": f"petition-{n}", "title_en": f"Petition {n}", "target_en": "The Minister",
        "demand_en": "Release them.", "goal": 100, "status": PetitionStatus.OPEN,
        "opens_at": timezone.now() - timedelta(days=1),
    }  # fmt: skip
    return Petition.objects.create(**{**defaults, **fields})


def form_token_data() -> dict[str, str]:
    """What every public form carries (see core/formtoken.py)."""
    return {"form_token": issue_form_token()}


def sign_form_data(**overrides: Any) -> dict[str, str]:
    data = {
        "form_token": issue_form_token(),
        "name": "Jane Doe", "email": "jane@example.org", "country": "DE",
        "privacy_consent": "on",
    }  # fmt: skip
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def make_staff(organisation: Organisation, role: str, **fields: Any) -> Any:
    """A staff member of `organisation` with `role` (campaigns.models.Role)."""
    from django.contrib.auth.models import User

    from undersigned.campaigns.models import Membership

    n = next(_sequence)
    user = User.objects.create_user(
        username=fields.pop("username", f"staff{n}"), password="a-long-test-password", **fields
    )
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user
