"""Reads of the partners app: keys for staff and for the API, petitions a key reaches, and
the OSDI-shaped resources the private API answers with (docs/integrations.md)."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from undersigned.campaigns.markdown import render_markdown
from undersigned.campaigns.models import Organisation
from undersigned.campaigns.permissions import Action, organisations_of, require
from undersigned.core.opaque_ids import opaque_id, pk_of
from undersigned.core.site import absolute_path_url, absolute_url
from undersigned.partners import keys
from undersigned.partners.models import ApiKey, PetitionPartnerPolicy, RecordedSignature
from undersigned.petitions.models import Petition
from undersigned.signatures.models import Signature
from undersigned.signatures.selectors import counted_totals

API_ROOT = "/api/private/v1"
# Rows confirmed this long before a sync pass began are still in its `next_since`: a
# confirmation stamped just before the pass may commit just after its first page.
SYNC_MARGIN = timedelta(minutes=1)


# -- staff ------------------------------------------------------------------------------------


def organisations_managing_keys(user: Any) -> QuerySet[Organisation]:
    return organisations_of(user, Action.MANAGE_API_KEYS).order_by("name")


def api_keys_for(user: Any) -> QuerySet[ApiKey]:
    """Every key of the organisations whose keys this user manages, newest first."""
    return ApiKey.objects.filter(organisation__in=organisations_managing_keys(user)).select_related(
        "organisation", "created_by", "revoked_by"
    )


def api_key_for_staff(user: Any, key_id: int) -> ApiKey:
    """404 for a key of another organisation (or none), 403 for a member who may not."""
    api_key = ApiKey.objects.select_related("organisation").filter(pk=key_id).first()
    if api_key is None:
        raise Http404("No such key")
    require(user, Action.MANAGE_API_KEYS, api_key.organisation)
    return api_key


def accepts_partner_verified(petition: Petition) -> bool:
    return PetitionPartnerPolicy.objects.filter(
        petition=petition, accepts_partner_verified=True
    ).exists()


def partner_counts(petition: Petition) -> dict[str, int]:
    """How many of the petition's counted signatures partners recorded, and how many of
    those counted on the partner's word (without the signer's email confirmation)."""
    counted = Signature.objects.filter(petition=petition, counted=True).counting()
    recorded = RecordedSignature.objects.filter(signature__in=counted.values("pk"))
    return {
        "recorded_by_partners": recorded.count(),
        "partner_verified": recorded.filter(partner_verified=True).count(),
    }


def recorded_by_key(petition: Petition) -> list[dict[str, Any]]:
    """Per key: signatures it recorded on the petition (any state), how many of them count,
    and how many counted on the partner's word — one grouped query."""
    counting = Signature.objects.filter(petition=petition).counting().values("pk")
    rows = (
        RecordedSignature.objects.filter(signature__petition=petition)
        .values("api_key")
        .annotate(
            recorded=Count("pk"),
            counting=Count("pk", filter=Q(signature__in=counting)),
            partner_verified=Count("pk", filter=Q(signature__in=counting, partner_verified=True)),
        )
        .order_by("-recorded")
    )
    found = list(rows)
    keys_by_id = ApiKey.objects.in_bulk([row["api_key"] for row in found])
    return [{**row, "key": keys_by_id[row["api_key"]]} for row in found]


# -- the API ----------------------------------------------------------------------------------


class KeyProblem(Exception):
    """The key presented is no usable key; the message says why (for the 401)."""


def key_of(presented: str) -> ApiKey:
    """The active key `presented` is, or KeyProblem."""
    prefix = keys.prefix_of(presented)
    if prefix is None:
        raise KeyProblem("This is not an Undersigned API key.")
    api_key = ApiKey.objects.select_related("organisation").filter(prefix=prefix).first()
    if api_key is None or not keys.matches(presented, api_key.digest):
        raise KeyProblem("This API key is not known.")
    if not api_key.is_active:
        raise KeyProblem("This API key has been revoked.")
    return api_key


def petitions_of_key(api_key: ApiKey) -> QuerySet[Petition]:
    return Petition.objects.filter(case__organisation_id=api_key.organisation_id).select_related(
        "case"
    )


def petition_for_key(api_key: ApiKey, identifier: str) -> Petition:
    """The petition behind an identifier, if it is the key's organisation's: else 404, the
    same for another organisation's petition as for none."""
    pk = pk_of("petition", identifier[:100])
    petition = petitions_of_key(api_key).filter(pk=pk).first() if pk is not None else None
    if petition is None:
        raise Http404("No such petition")
    return petition


def osdi_id(kind: str, pk: int) -> str:
    return f"undersigned:{opaque_id(kind, pk)}"


def petition_href(petition: Petition, tail: str = "") -> str:
    return absolute_path_url(f"{API_ROOT}/petitions/{opaque_id('petition', petition.pk)}/{tail}")


def petition_resource(petition: Petition) -> dict[str, Any]:
    """The OSDI petition resource, with Undersigned's own fields beside OSDI's: online
    signatures are `total_signatures`; `counts` splits them and adds those on paper."""
    total, paper, _updated = counted_totals(petition.pk)
    by_partners = partner_counts(petition)
    return {
        "identifiers": [osdi_id("petition", petition.pk)],
        "origin_system": "Undersigned",
        "title": petition.title,
        "description": str(render_markdown(petition.demand)),
        "petition_text": petition.demand,
        "target": [{"name": petition.target}],
        "total_signatures": total,
        "created_date": petition.created_at,
        "modified_date": petition.updated_at,
        "browser_url": absolute_url("signatures:petition", slug=petition.slug),
        "slug": petition.slug,
        "status": petition.status,
        "goal": petition.goal,
        "closes_at": petition.closes_at,
        "accepts_partner_verified": accepts_partner_verified(petition),
        "counts": {
            "online": total,
            "confirmed_by_email": total - by_partners["partner_verified"],
            "partner_verified": by_partners["partner_verified"],
            "recorded_by_partners": by_partners["recorded_by_partners"],
            "paper_count": paper,
            "paper_counts_toward_goal": petition.paper_counts_toward_goal,
        },
        "_links": {
            "self": {"href": petition_href(petition)},
            "osdi:signatures": {"href": petition_href(petition, "signatures/")},
            "osdi:record_signature_helper": {"href": petition_href(petition, "signatures/")},
        },
    }


def petition_list(api_key: ApiKey, limit: int, offset: int) -> dict[str, Any]:
    petitions = petitions_of_key(api_key).order_by("-opens_at", "-id")
    page = list(petitions[offset : offset + limit])
    return {
        "total_records": petitions.count(),
        "limit": limit,
        "offset": offset,
        "petitions": [petition_resource(petition) for petition in page],
    }


# -- signatures, page by page -----------------------------------------------------------------


class BadCursor(Exception):
    """A cursor this API did not give out (or one of another petition's sync)."""


@dataclass(frozen=True)
class Cursor:
    """Where a sync pass is: its `since`, when it began, the last row it handed out."""

    since: datetime | None
    began: datetime
    after_pk: int

    def encode(self) -> str:
        since = self.since.isoformat() if self.since else ""
        text = f"v1|{since}|{self.began.isoformat()}|{opaque_id('signature', self.after_pk)}"
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, value: str) -> Cursor:
        try:
            text = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
        except (binascii.Error, UnicodeDecodeError, ValueError):
            raise BadCursor from None
        parts = text.split("|")
        if len(parts) != 4 or parts[0] != "v1":
            raise BadCursor
        since = _parsed(parts[1]) if parts[1] else None
        began = _parsed(parts[2])
        after_pk = pk_of("signature", parts[3])
        if (parts[1] and since is None) or began is None or after_pk is None:
            raise BadCursor
        return cls(since, began, after_pk)


def _parsed(text: str) -> datetime | None:
    try:
        return parse_datetime(text)
    except ValueError:
        return None


def signature_page(
    petition: Petition,
    *,
    since: datetime | None,
    cursor: str | None,
    limit: int,
    personal_data: bool,
) -> dict[str, Any]:
    """One page of the petition's counted signatures (confirmed, valid, not held), in the
    order they were made, confirmed at or after `since` if given. The last page of a pass
    carries `next_since`, the `since` of the next incremental sync (docs/integrations.md)."""
    if cursor:
        position = Cursor.decode(cursor)
        since = position.since
    else:
        if since is not None and timezone.is_naive(since):
            since = timezone.make_aware(since, UTC)  # a time without its zone is read as UTC
        position = Cursor(since, timezone.now(), 0)
    rows = Signature.objects.filter(petition=petition, pk__gt=position.after_pk).counting()
    if since is not None:
        rows = rows.filter(confirmed_at__gte=since)
    fields = ["pk", "created_at", "confirmed_at", "country", "source"]
    if personal_data:
        fields += ["name", "email"]
    page = list(rows.order_by("pk").only(*fields)[: limit + 1])
    more, page = len(page) > limit, page[:limit]
    recorded = dict(
        RecordedSignature.objects.filter(signature_id__in=[s.pk for s in page]).values_list(
            "signature_id", "partner_verified"
        )
    )
    links: dict[str, Any] = {"osdi:petition": {"href": petition_href(petition)}}
    body: dict[str, Any] = {"signatures": [
        _signature_resource(s, recorded, personal_data) for s in page
    ]}  # fmt: skip
    if more:
        next_cursor = Cursor(since, position.began, page[-1].pk).encode()
        links["next"] = {"href": petition_href(petition, f"signatures/?cursor={next_cursor}")}
        body["next_cursor"] = next_cursor
        body["next_since"] = None
    else:
        body["next_cursor"] = None
        body["next_since"] = position.began - SYNC_MARGIN
    body["_links"] = links
    return body


def _signature_resource(
    signature: Signature, recorded: dict[int, bool], personal_data: bool
) -> dict[str, Any]:
    person: dict[str, Any] = {"postal_addresses": [{"country": str(signature.country)}]}
    if personal_data:
        person.update(
            given_name=signature.name,  # the whole name, as signed (docs/integrations.md)
            family_name="",
            email_addresses=[{"address": signature.email, "primary": True}]
            if signature.email
            else [],
        )
    return {
        "identifiers": [osdi_id("signature", signature.pk)],
        "created_date": signature.created_at,
        "modified_date": signature.confirmed_at,
        "person": person,
        "source": signature.source,
        "recorded_by_partner": signature.pk in recorded,
        "partner_verified": recorded.get(signature.pk, False),
    }
