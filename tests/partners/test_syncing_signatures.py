"""Listing a petition's signatures page by page with an opaque cursor, and incrementally
with `since`; names and emails only with the personal-data scope (and then audited)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import make_petition, make_signature, make_signatures, pending
from tests.partners.helpers import get, make_key, petition_url
from undersigned.audit.models import AuditAction, AuditLogEntry
from undersigned.partners.models import Scope
from undersigned.signatures.models import HeldReason, Signature

pytestmark = pytest.mark.django_db


def every_page(client, url: str, key: str, **params):
    pages = [get(client, url, key, **params).json()]
    while pages[-1]["next_cursor"]:
        pages.append(
            get(client, url, key, cursor=pages[-1]["next_cursor"], limit=params["limit"]).json()
        )
    return pages


def test_pages_follow_the_cursor_to_the_end_and_the_last_gives_next_since(client):
    petition = make_petition()
    make_signatures(petition, 5)
    key = make_key(petition.case.organisation)
    pages = every_page(client, petition_url(petition, "signatures/"), key, limit=2)
    assert [len(p["signatures"]) for p in pages] == [2, 2, 1]
    ids = [s["identifiers"][0] for p in pages for s in p["signatures"]]
    assert len(set(ids)) == 5
    assert all(i.startswith("undersigned:sig_") and len(i) == 42 for i in ids)  # opaque
    assert pages[0]["next_since"] is None and pages[-1]["next_since"] is not None
    assert pages[0]["_links"]["next"]["href"].endswith(pages[0]["next_cursor"])


def test_since_returns_only_what_was_confirmed_since(client):
    petition = make_petition()
    make_signatures(petition, 3)
    Signature.objects.update(confirmed_at=timezone.now() - timedelta(days=2))
    make_signatures(petition, 2)
    key = make_key(petition.case.organisation)
    since = (timezone.now() - timedelta(days=1)).isoformat()
    listed = get(client, petition_url(petition, "signatures/"), key, since=since).json()
    assert len(listed["signatures"]) == 2


def test_without_the_personal_data_scope_no_name_or_email_is_given(client):
    petition = make_petition()
    make_signatures(petition, 1)
    key = make_key(petition.case.organisation, [Scope.READ_SIGNATURES])
    body = get(client, petition_url(petition, "signatures/"), key).content.decode()
    signature = Signature.objects.get()
    assert signature.email not in body and signature.name not in body
    assert '"country"' in body
    assert not AuditLogEntry.objects.filter(action=AuditAction.API_PERSONAL_DATA_READ).exists()


def test_each_page_of_personal_data_is_on_the_audit_log(client):
    petition = make_petition()
    make_signatures(petition, 3)
    key = make_key(petition.case.organisation, name="CRM sync")
    get(client, petition_url(petition, "signatures/"), key)
    entry = AuditLogEntry.objects.get(action=AuditAction.API_PERSONAL_DATA_READ)
    assert entry.row_count == 3 and entry.username.startswith("API key CRM sync")


def test_held_invalidated_and_pending_signatures_are_not_listed(client):
    petition = make_petition()
    make_signature(petition, email="counts@example.org")
    make_signature(petition, email="held@example.org", held_reason=HeldReason.SUBNET_RATE)
    make_signature(petition, email="gone@example.org", invalidated_at=timezone.now())
    make_signature(petition, email="waiting@example.org", **pending())
    key = make_key(petition.case.organisation)
    listed = get(client, petition_url(petition, "signatures/"), key).json()["signatures"]
    assert [s["person"]["email_addresses"][0]["address"] for s in listed] == ["counts@example.org"]


def test_a_since_without_a_time_zone_is_read_as_utc(client):
    petition = make_petition()
    make_signatures(petition, 2)
    key = make_key(petition.case.organisation)
    earlier = (timezone.now() - timedelta(hours=1)).replace(tzinfo=None).isoformat()
    listed = get(client, petition_url(petition, "signatures/"), key, since=earlier).json()
    assert len(listed["signatures"]) == 2
