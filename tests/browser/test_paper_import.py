"""A data officer imports a paper sheet in the browser — the upload form, a mistake, the
preview, apply — and the public petition page then shows both parts of the count; axe-core
checks each staff page on the way."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.test_case_and_petition_pages import _axe_results, axe_installed  # noqa: F401
from tests.browser.test_new_pages_are_accessible import _assert_no_serious_violations
from tests.factories import make_case, make_organisation, make_petition, make_signatures, make_staff
from tests.sign_in import sign_in_in_browser
from undersigned.campaigns.models import Role
from undersigned.signatures.services import count_new_confirmations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("axe_installed"),
]

SHEET = b"name,email,country\nAda Lovelace,ada@example.org,GB\nGrace Hopper,,US\n=1+1,,DE\n"


def test_a_paper_sheet_imported_in_the_browser_shows_on_the_petition_page(
    live_server: Any, browser: Browser
) -> None:
    organisation = make_organisation(name="Riverside Watch")
    petition = make_petition(
        case=make_case(organisation=organisation), title_en="Let the Riverside Three go home"
    )
    make_signatures(petition, 3)
    count_new_confirmations()
    officer = make_staff(organisation, Role.DATA_OFFICER, username="dora-officer")
    page = browser.new_context(locale="en-GB").new_page()
    page.set_default_timeout(10_000)
    sign_in_in_browser(page, live_server.url, officer.username)
    found: dict[str, dict[str, Any]] = {}
    base = f"{live_server.url}/staff/paper/{petition.slug}/"

    page.goto(base)
    found["paper page"] = _axe_results(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Preview").click()
    expect(page.locator("#error-summary")).to_be_focused()
    found["paper page (errors)"] = _axe_results(page)

    page.get_by_label("Sheet reference").fill("Market stall, sheet 1")
    page.get_by_label("CSV file").set_input_files(
        {"name": "sheet.csv", "mimeType": "text/csv", "buffer": SHEET}
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("cell", name="The cell starts with =, +, - or @")).to_be_visible()
    found["preview"] = _axe_results(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Add 2 signatures on paper").click()
    expect(page.get_by_text("Added 2 signatures on paper.")).to_be_visible()
    found["applied batch"] = _axe_results(page)

    page.goto(f"{live_server.url}/petitions/{petition.slug}/")
    expect(page.locator(".progress__parts")).to_contain_text("3 online + 2 on paper")
    page.context.close()
    _assert_no_serious_violations(found)
