"""Load the demo case (Julian Assange, as an NGO followed it until January 2021).

Idempotent: every record is upserted by its natural key, so running it twice changes nothing.
"""

from __future__ import annotations

from base64 import b32decode
from datetime import UTC, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import translation
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from undersigned.campaigns import services as campaigns
from undersigned.campaigns.models import Role
from undersigned.petitions import outcomes
from undersigned.petitions import services as petitions
from undersigned.petitions.models import Milestone, Petition, PetitionStatus
from undersigned.web import demo_content

# The languages of settings.LANGUAGES that the demo has texts for (web/demo_texts/).
LANGUAGES = demo_content.LANGUAGES
content = demo_content


def _translated(field: str, texts: dict[str, str]) -> dict[str, str]:
    return {f"{field}_{language}": texts[language] for language in LANGUAGES}


def _fields(record: dict[str, Any], *names: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    for name in names:
        fields.update(_translated(name, record[name]))
    return fields


# One account per role, created only with DEBUG on (see the demo command).
DEMO_STAFF = [("editor", Role.EDITOR), ("analyst", Role.ANALYST),
              ("dataofficer", Role.DATA_OFFICER), ("moderator", Role.MODERATOR),
              ("admin", Role.ADMIN)]  # fmt: skip
DEMO_STAFF_PASSWORD = "undersigned-demo"  # noqa: S105 - development only, printed on screen
# Every demo account has the same authenticator app, whose key is published here and printed
# by `undersigned demo` (development only): the second step of signing in works out of the box.
DEMO_TOTP_SECRET = "UNDERSIGNEDDEMOSECRETKEY"  # noqa: S105 - base32, development only


def load_demo_staff() -> None:
    organisation = campaigns.upsert_organisation(**content.ORGANISATION)
    for username, role in DEMO_STAFF:
        campaigns.ensure_member(username, DEMO_STAFF_PASSWORD, organisation, role)
        user = get_user_model().objects.get(username=username)
        TOTPDevice.objects.get_or_create(
            user=user, name="demo app", defaults={"key": demo_totp_key(), "confirmed": True}
        )


def demo_totp_key() -> str:
    return b32decode(DEMO_TOTP_SECRET).hex()


def demo_totp_code() -> str:
    """What an authenticator app with the demo key shows now."""
    totp = TOTP(bytes.fromhex(demo_totp_key()))
    return f"{totp.token():06d}"


@transaction.atomic
def load_demo() -> Petition:
    with translation.override("en"):
        organisation = campaigns.upsert_organisation(**content.ORGANISATION)
        case = campaigns.upsert_case(
            organisation,
            content.CASE["slug"],
            is_published=True,
            **_fields(content.CASE, "title", "summary", "status_line", "story", "photo_alt"),
        )
        for entry in content.TIMELINE:
            campaigns.upsert_timeline_entry(
                case,
                entry["date"],
                entry["title"]["en"],
                precision=entry["precision"],
                source_url=entry.get("source_url", ""),
                **_fields(entry, "title", "body"),
            )
        for update in content.UPDATES:
            campaigns.upsert_update(
                case, update["date"], update["title"]["en"], **_fields(update, "title", "body")
            )
        petition = content.PETITION
        opens = petition["opens_on"]
        demo_petition = petitions.upsert_petition(
            case,
            petition["slug"],
            goal=petition["goal"],
            languages=list(LANGUAGES),
            opens_at=datetime(opens.year, opens.month, opens.day, tzinfo=UTC),
            closes_at=None,
            status=PetitionStatus.OPEN,
            **_fields(petition, "title", "target", "demand"),
        )
        _load_milestones(demo_petition)
        return demo_petition


def _load_milestones(petition: Petition) -> None:
    """The demo's milestones (added once; staff may change them afterwards)."""
    have = set(Milestone.objects.filter(petition=petition).values_list("count", flat=True))
    for milestone in content.MILESTONES:
        if milestone["count"] not in have:
            outcomes.save_milestone(
                petition, count=milestone["count"], fields=_fields(milestone, "note"),
                acting_user=None,
            )  # fmt: skip
