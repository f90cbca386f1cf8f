"""A moderator follows a surge from the fraud page to a queued invalidation, in a browser."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.factories import make_case, make_organisation, make_petition, make_signatures, make_staff
from tests.fixtures.browser import save_screenshot
from tests.sign_in import sign_in_in_browser
from undersigned.campaigns.models import Role
from undersigned.signatures.models import HeldReason, Invalidation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def _serious_axe_violations(page: Page) -> list[dict[str, Any]]:
    if not AXE.exists():
        if os.environ.get("CI"):
            pytest.fail(f"axe-core is missing at {AXE}")
        pytest.skip(f"axe-core is missing at {AXE}")
    page.evaluate(AXE.read_text())  # DevTools evaluation: the page's CSP allows no inline script
    violations = page.evaluate(
        """async () => (await axe.run(document)).violations.map((v) => ({
            id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(" ")),
        }))"""
    )
    return [v for v in violations if v["impact"] in {"serious", "critical"}]


def test_moderator_goes_from_an_alert_to_a_queued_invalidation(live_server: Any, page: Page):
    petition = make_petition(case=make_case(organisation=make_organisation()), title_en="Free Q")
    make_signatures(petition, 60, ip="198.51.100.4", created_at=timezone.now() - timedelta(days=1))
    make_signatures(petition, 30, ip="203.0.113.9", domain="bots.example")
    make_signatures(petition, 2, held_reason=HeldReason.NO_PROOF_OF_WORK)
    make_staff(petition.case.organisation, Role.MODERATOR, username="mo")

    sign_in_in_browser(page, live_server.url, "mo")  # a moderator sets up a second factor
    page.goto(f"{live_server.url}/staff/petitions/{petition.slug}/")
    page.get_by_role("link", name="Fraud signals").first.click()

    networks = page.locator("section", has=page.get_by_role("heading", name="Top networks"))
    expect(networks.get_by_role("row", name="203.0.113.0/24")).to_contain_text("ALERT")
    assert _serious_axe_violations(page) == []
    save_screenshot(page, "moderation-fraud-signals")

    networks.get_by_role(
        "button", name="Preview invalidating the last hour's signatures from 203.0.113.0/24"
    ).click()
    expect(page.get_by_role("status")).to_contain_text("30 signatures match")
    assert _serious_axe_violations(page) == []
    page.get_by_label("Reason").fill("Bot surge from one network")
    page.get_by_role("button", name="Invalidate 30 signatures").click()
    expect(page.get_by_role("cell", name="Queued")).to_be_visible()
    assert Invalidation.objects.get().previewed_count == 30
