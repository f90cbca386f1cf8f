"""A visitor reads a case and finds its petition: the pages as a browser shows them."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.factories import make_case, make_petition, make_timeline_entry
from tests.fixtures.browser import save_screenshot
from undersigned.campaigns.models import DatePrecision

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
SIGN_FIELDS = ("name", "email", "country", "privacy_consent", "updates_opt_in")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _case_with_open_petition() -> tuple[Any, Any]:
    case = make_case(title_en="Free the Riverside Three", summary_en="Three journalists held.")
    make_timeline_entry(case, date(2012, 6, 19), DatePrecision.DAY, title_en="Arrested at home")
    petition = make_petition(case=case, title_en="Release the Riverside Three now")
    return case, petition


def test_visitor_opens_the_case_page_and_follows_the_link_to_the_petition(
    live_server: Any, page: Page
) -> None:
    case, petition = _case_with_open_petition()

    page.goto(f"{live_server.url}/cases/{case.slug}/")
    expect(page.get_by_role("heading", level=1, name="Free the Riverside Three")).to_be_visible()
    expect(page.get_by_text("19 June 2012", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Arrested at home")).to_be_visible()
    save_screenshot(page, "case-page")

    page.get_by_role("link", name="Release the Riverside Three now").click()

    page.wait_for_url(f"{live_server.url}/petitions/{petition.slug}/")
    expect(page.get_by_role("heading", level=1, name=petition.title)).to_be_visible()
    form = page.locator("form.sign-form")
    for field in SIGN_FIELDS:
        expect(form.locator(f'[name="{field}"]')).to_have_count(1)
    expect(form.get_by_role("button", name="Sign now")).to_be_visible()
    save_screenshot(page, "petition-page")


def _axe_results(page: Page) -> dict[str, Any]:
    """axe-core's violations, plus the rules it passed and could not decide, for the log."""
    page.evaluate(AXE.read_text())  # DevTools evaluation: the page's CSP allows no inline script
    return page.evaluate(
        """async () => {
            const results = await axe.run(document);
            return {
                violations: results.violations.map((v) => ({
                    id: v.id, impact: v.impact, help: v.help,
                    targets: v.nodes.map((n) => n.target.join(" ")),
                })),
                incomplete: results.incomplete.map((v) => ({
                    id: v.id,
                    nodes: v.nodes.map((n) => `${n.target.join(" ")}: ${
                        [...n.any, ...n.all, ...n.none].map((c) => c.message).join("; ")}`),
                })),
                passes: results.passes.length,
            };
        }"""
    )


@pytest.fixture
def axe_installed() -> None:
    """axe-core comes from package-lock.json (`npm ci`, run by `make test` when npm exists)."""
    if not AXE.exists():
        message = f"axe-core is missing at {AXE}; run `npm ci` in the project folder"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.mark.usefixtures("axe_installed")
def test_case_and_petition_pages_have_no_serious_axe_violations(
    live_server: Any, page: Page
) -> None:
    case, petition = _case_with_open_petition()
    found: dict[str, dict[str, Any]] = {}
    for path in (f"/cases/{case.slug}/", f"/petitions/{petition.slug}/"):
        page.goto(live_server.url + path)
        found[path] = _axe_results(page)
    # The petition page again, as a signer sees it after sending an empty form.
    with page.expect_navigation():
        page.get_by_role("button", name="Sign now").click()
    found[f"/petitions/{petition.slug}/sign/ (errors)"] = _axe_results(page)
    print("\naxe-core results by page:\n" + json.dumps(found, indent=2))

    assert all(result["passes"] > 0 for result in found.values()), "axe-core did not run"
    serious = {
        path: [v for v in result["violations"] if v["impact"] in {"serious", "critical"}]
        for path, result in found.items()
    }
    assert not any(serious.values()), json.dumps(serious, indent=2)
