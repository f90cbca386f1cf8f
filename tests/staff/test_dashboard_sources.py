"""A campaigner sees where signatures came from: confirmed and the rate, per source and day."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import (
    make_case,
    make_organisation,
    make_petition,
    make_signatures,
    make_staff,
    pending,
)
from tests.sign_in import sign_in
from undersigned.campaigns.models import Role
from undersigned.signatures.models import Signature

pytestmark = pytest.mark.django_db

ROW = re.compile(
    r"<tr><th scope=\"row\">([^<]*)</th><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>"
)


def source_rows(html: str) -> list[tuple[str, ...]]:
    table = html.split('data-table="sources"', 1)[1].split("</table>", 1)[0]
    return ROW.findall(table)


def day_rows(html: str) -> list[list[str]]:
    table = html.split('data-table="source-days"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</tr>", table)
    return [re.findall(r">([^<>]+)<", f">{row}") for row in rows]


def test_the_dashboard_shows_each_sources_confirmed_signatures_and_rate(client) -> None:
    organisation = make_organisation()
    petition = make_petition(case=make_case(organisation=organisation))
    make_signatures(petition, 3, source="newsletter")
    make_signatures(petition, 1, source="newsletter", **pending())
    make_signatures(petition, 2, source="embed")
    make_signatures(petition, 1, source="embed", invalidated_at=timezone.now())
    make_signatures(petition, 1)
    make_signatures(petition, 1, source="other", **pending())
    make_signatures(make_petition(), 5, source="newsletter")  # another petition's

    sign_in(client, make_staff(organisation, Role.ANALYST))
    html = client.get(f"/staff/petitions/{petition.slug}/").content.decode()

    assert source_rows(html) == [
        ("newsletter", "3", "4", "75.0%"),
        ("embed", "2", "3", "66.7%"),
        ("came straight (no source)", "1", "1", "100.0%"),
        ("other (not a known source)", "0", "1", "0.0%"),
    ]


def test_the_dashboard_splits_sources_by_the_day_signed(client) -> None:
    organisation = make_organisation()
    petition = make_petition(case=make_case(organisation=organisation))
    today = timezone.localtime()
    make_signatures(petition, 2, source="qr")
    make_signatures(petition, 1, source="qr", **pending())
    make_signatures(petition, 4, source="qr", name="signed yesterday")
    Signature.objects.filter(name="signed yesterday").update(created_at=today - timedelta(days=1))

    sign_in(client, make_staff(organisation, Role.ANALYST))
    html = client.get(f"/staff/petitions/{petition.slug}/").content.decode()

    rows = day_rows(html)
    assert [row[1:] for row in rows] == [["qr", "2", "3", "66.7%"], ["qr", "4", "4", "100.0%"]]
    assert source_rows(html) == [("qr", "6", "7", "85.7%")]


def test_the_source_never_appears_on_public_pages_or_the_api(client) -> None:
    petition = make_petition()
    make_signatures(petition, 2, source="secret-partner")
    for url in (
        f"/petitions/{petition.slug}/", f"/cases/{petition.case.slug}/",
        f"/api/v1/petitions/{petition.slug}/", f"/petitions/{petition.slug}/count.json",
    ):  # fmt: skip
        assert "secret-partner" not in client.get(url).content.decode()
