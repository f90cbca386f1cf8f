"""Factories: each builds the smallest valid object and takes overrides as keywords."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from undersigned.campaigns.models import Case, DatePrecision, Organisation, TimelineEntry
from undersigned.core.formtoken import issue_form_token
from undersigned.petitions.models import Petition, PetitionStatus
from undersigned.signatures.models import Signature
from undersigned.signatures.network import hash_client_address, subnet_of
from undersigned.signatures.normalise import normalise_email

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


def signature(
    petition: Petition, *, email: str | None = None, domain: str = "example.org",
    confirmed: bool = True, opted_in: bool = False, invalidated: bool = False,
    ip: str | None = None, **fields: Any,
) -> Signature:  # fmt: skip
    """One signature as signing and confirming leave it — confirmed now, from Germany, no
    email owed — not saved yet. `ip` adds the network data signing stores (subnet and keyed
    hash); any other keyword sets that field."""
    n = next(_sequence)
    now = timezone.now()
    email = email or f"signer{n}@{domain}"
    network = {"client_subnet": subnet_of(ip), "client_hash": hash_client_address(ip)} if ip else {}
    return Signature(**{
        "petition": petition, "name": f"Signer {n}", "email": email,
        "email_normalised": normalise_email(email), "email_domain": email.rsplit("@", 1)[-1],
        "country": "DE", "confirmation_key": f"test-key-{n}",
        "confirmation_expires_at": now + timedelta(days=1),
        "confirmed_at": now if confirmed else None, "invalidated_at": now if invalidated else None,
        "updates_opt_in": opted_in, **network, **fields,
    })  # fmt: skip


def make_signature(petition: Petition, **fields: Any) -> Signature:
    """`signature(...)`, saved."""
    made = signature(petition, **fields)
    made.save()
    return made


def make_signatures(
    petition: Petition, count: int, *, created_at: datetime | None = None, **fields: Any
) -> list[int]:
    """`count` signatures like `signature(...)`, inserted 5,000 rows at a time; their ids.
    `created_at` (set by the database on insert) is written afterwards."""
    ids: list[int] = []
    while len(ids) < count:
        batch = [signature(petition, **fields) for _ in range(min(5000, count - len(ids)))]
        ids += [row.pk for row in Signature.objects.bulk_create(batch)]
    if created_at is not None:
        Signature.objects.filter(pk__in=ids).update(created_at=created_at)
    return ids


def pending(now: datetime | None = None) -> dict[str, Any]:
    """The fields of a signature still waiting for its confirmation."""
    now = now or timezone.now()
    return {"confirmed_at": None, "confirmation_expires_at": now + timedelta(days=1)}


def expired(now: datetime | None = None) -> dict[str, Any]:
    """The fields of a signature whose confirmation link ran out unused."""
    now = now or timezone.now()
    return {"confirmed_at": None, "confirmation_expires_at": now - timedelta(hours=1)}
