"""A visitor sees the petition's sparkline, its milestones, the response and a victory, as
Chromium shows them; the staff page to manage them passes axe-core too."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from tests.browser.test_case_and_petition_pages import _axe_results, axe_installed  # noqa: F401
from tests.factories import make_case, make_organisation, make_petition, make_signatures, make_staff
from tests.fixtures.browser import save_screenshot
from tests.moderation.helpers import count_confirmations
from tests.sign_in import sign_in_in_browser
from undersigned.campaigns.models import Role
from undersigned.petitions.models import Milestone, Outcome
from undersigned.petitions.outcomes import change_outcome, record_response

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("axe_installed"),
]


def _petition_with_a_history() -> Any:
    organisation = make_organisation(name="Riverside Watch")
    petition = make_petition(
        case=make_case(organisation=organisation), title_en="Let the Riverside Three go home",
        target_en="The Ministry", goal=100, opens_at=timezone.now() - timedelta(days=20),
    )  # fmt: skip
    for days_ago, n in ((18, 3), (12, 9), (6, 4), (2, 14), (0, 2)):
        make_signatures(petition, n, confirmed_at=timezone.now() - timedelta(days=days_ago))
    Milestone.objects.create(petition=petition, count=10, note_en="We write to the minister")
    Milestone.objects.create(petition=petition, count=50, note_en="We go to parliament")
    count_confirmations()
    Milestone.objects.filter(petition=petition, count=10).update(
        crossed_at=datetime(2026, 11, 20, 10, tzinfo=UTC)
    )
    record_response(
        petition, responded_on=timezone.localdate(), bodies={"en": "We **will** free them."},
        acting_user=None,
    )  # fmt: skip
    change_outcome(petition, Outcome.WON, acting_user=None)
    return petition


def test_the_petition_page_shows_the_sparkline_milestones_response_and_victory(
    live_server: Any, page: Page
) -> None:
    petition = _petition_with_a_history()
    page.goto(f"{live_server.url}/petitions/{petition.slug}/")
    line = page.locator("svg.sparkline__svg polyline")
    expect(line).to_be_attached()
    assert len((line.get_attribute("points") or "").split()) == 21  # one point a day
    box = page.locator("svg.sparkline__svg").bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 30  # drawn, not hidden
    expect(page.locator(".sparkline figcaption")).to_contain_text(
        "Signatures per day over the last 21 days: 32 in all"
    )
    milestones = page.get_by_role("region", name="Milestones")
    expect(milestones).to_contain_text("10 signatures — reached on 20 November 2026")
    expect(milestones).to_contain_text("Next milestone: 50 signatures. We go to parliament")
    expect(page.get_by_role("heading", name="The response from The Ministry")).to_be_visible()
    expect(page.get_by_role("heading", name="Victory!")).to_be_visible()
    save_screenshot(page, "petition-milestones-and-sparkline")
    results = _axe_results(page)
    serious = [v for v in results["violations"] if v["impact"] in {"serious", "critical"}]
    assert results["passes"] > 0 and not serious, json.dumps(serious, indent=2)


def test_the_staff_page_for_milestones_and_outcome_passes_axe(
    live_server: Any, browser: Browser
) -> None:
    petition = _petition_with_a_history()
    editor = make_staff(petition.case.organisation, Role.EDITOR, username="eddie")
    page = browser.new_context(locale="en-GB").new_page()
    page.set_default_timeout(10_000)
    sign_in_in_browser(page, live_server.url, editor.username)
    page.goto(f"{live_server.url}/staff/petitions/{petition.slug}/outcome/")
    expect(page.get_by_role("heading", name="Milestones", exact=True)).to_be_visible()
    page.get_by_label("Number of signatures").fill("0")
    page.get_by_role("button", name="Add the milestone").click()
    expect(page.get_by_role("alert")).to_contain_text("at least 1")
    results = _axe_results(page)
    serious = [v for v in results["violations"] if v["impact"] in {"serious", "critical"}]
    assert results["passes"] > 0 and not serious, json.dumps(serious, indent=2)
