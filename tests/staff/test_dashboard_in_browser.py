"""An analyst signs in and watches a petition's dashboard in a real browser."""

from __future__ import annotations

import json
import os
import random
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.factories import (
    expired,
    make_case,
    make_organisation,
    make_petition,
    make_staff,
    pending,
    signature,
)
from tests.fixtures.browser import save_screenshot
from undersigned.campaigns.models import Role
from undersigned.signatures.models import Signature

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

COUNTRIES = {"DE": 40, "FR": 18, "GB": 14, "ES": 9, "US": 8, "IT": 6, "NL": 5, "BR": 3,
             "AU": 2, "IN": 2, "CA": 2, "MX": 1, "ZA": 1, "JP": 1}  # fmt: skip


def _a_month_of_signatures(petition: Any) -> None:
    """About 2,500 signatures over 30 days, busier lately, from a dozen countries."""
    now, chance = timezone.now(), random.Random(5)
    codes, weights = list(COUNTRIES), list(COUNTRIES.values())
    rows = []
    for hours_ago in range(30 * 24):
        when = now - timedelta(hours=hours_ago)
        rate = 1 + 6 * (hours_ago < 72) + 2 * (7 <= when.hour <= 21)
        for _ in range(chance.randint(0, rate)):
            confirmed = when - timedelta(minutes=chance.randint(0, 59))
            rows.append(
                signature(
                    petition,
                    country=chance.choices(codes, weights)[0],
                    confirmed_at=max(confirmed, now - timedelta(days=30)),
                )
            )
    rows += [signature(petition, **pending()) for _ in range(140)]
    rows += [signature(petition, **expired()) for _ in range(260)]
    rows += [signature(petition, invalidated_at=now) for _ in range(12)]
    Signature.objects.bulk_create(rows)


def _petition_with_a_month_of_signatures() -> Any:
    organisation = make_organisation(name="Riverside Watch")
    petition = make_petition(
        case=make_case(organisation=organisation), title_en="Release the Riverside Three now",
        goal=5000, opens_at=timezone.now() - timedelta(days=30),
    )  # fmt: skip
    _a_month_of_signatures(petition)
    make_staff(organisation, Role.ANALYST, username="ana")
    return petition


def _sign_in_as_analyst(page: Page, live_server: Any) -> None:
    page.goto(f"{live_server.url}/staff/login/")
    page.get_by_label("Username").fill("ana")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/staff/")


def test_analyst_signs_in_and_sees_the_petition_chart(live_server: Any, page: Page) -> None:
    petition = _petition_with_a_month_of_signatures()
    page.set_viewport_size({"width": 1280, "height": 900})
    _sign_in_as_analyst(page, live_server)
    page.get_by_role("link", name="Release the Riverside Three now").click()

    page.wait_for_url(f"{live_server.url}/staff/petitions/{petition.slug}/")
    chart = page.get_by_role("img", name="Signatures per hour")
    expect(chart).to_be_visible()
    expect(page.get_by_role("img", name="Signatures per day")).to_be_visible()
    expect(page.get_by_role("img", name="Signatures by country")).to_be_visible()
    expect(page.locator("svg[role=img] rect.chart__bar")).to_have_count(48 + 31)
    save_screenshot(page, "dashboard")
    page.set_viewport_size({"width": 390, "height": 844})
    expect(chart).to_be_visible()
    save_screenshot(page, "dashboard-narrow")


def test_dashboard_has_no_serious_axe_violations(live_server: Any, page: Page) -> None:
    if not AXE.exists():
        message = f"axe-core is missing at {AXE}; run `npm ci` in the project folder"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    petition = _petition_with_a_month_of_signatures()
    _sign_in_as_analyst(page, live_server)
    page.goto(f"{live_server.url}/staff/petitions/{petition.slug}/")
    page.get_by_text("The numbers behind the chart").first.click()  # open one table too
    page.evaluate(AXE.read_text())  # DevTools evaluation: the page's CSP allows no inline script
    results = page.evaluate(
        """async () => {
            const results = await axe.run(document);
            return {
                passes: results.passes.length,
                violations: results.violations.map((v) => ({
                    id: v.id, impact: v.impact, help: v.help,
                    targets: v.nodes.map((n) => n.target.join(" ")).slice(0, 5),
                })),
            };
        }"""
    )
    assert results["passes"] > 0, "axe-core did not run"
    serious = [v for v in results["violations"] if v["impact"] in {"serious", "critical"}]
    assert serious == [], json.dumps(serious, indent=2)
