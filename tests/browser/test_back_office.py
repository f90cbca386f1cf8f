"""In Chromium: an editor publishes a petition in the back office, and an analyst of the same
organisation sees its chart."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.factories import make_case, make_organisation, make_petition, make_staff, signature
from tests.fixtures.browser import save_screenshot
from undersigned.campaigns.models import Role
from undersigned.petitions.models import Petition, PetitionStatus
from undersigned.signatures.models import Signature
from undersigned.signatures.services import count_new_confirmations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-test-password"


def sign_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/staff/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base_url}/staff/")


def test_editor_publishes_a_petition_and_an_analyst_sees_its_chart(
    live_server: Any, browser: Browser
) -> None:
    organisation = make_organisation(name="Riverside Watch")
    petition = make_petition(
        case=make_case(organisation=organisation), title_en="Let the Riverside Three go home",
        status=PetitionStatus.DRAFT,
    )  # fmt: skip
    make_staff(organisation, Role.EDITOR, username="edith")
    make_staff(organisation, Role.ANALYST, username="ana")

    editor = browser.new_context(locale="en-GB").new_page()
    sign_in(editor, live_server.url, "edith")
    editor.goto(f"{live_server.url}/admin/petitions/petition/")
    row = editor.get_by_role("row").filter(has_text="Let the Riverside Three go home")
    row.get_by_role("checkbox").check()
    editor.get_by_label("Action:").select_option("publish")
    editor.get_by_role("button", name="Run").click()
    expect(editor.get_by_text("Published.")).to_be_visible()
    assert Petition.objects.get(pk=petition.pk).status == PetitionStatus.OPEN
    editor.goto(f"{live_server.url}/petitions/{petition.slug}/")
    expect(editor.get_by_role("heading", name="Let the Riverside Three go home")).to_be_visible()
    editor.context.close()

    Signature.objects.bulk_create(
        [signature(petition, country=code) for code in ["DE", "DE", "FR", "GB"]]
    )
    count_new_confirmations()  # what the worker does every two seconds
    analyst = browser.new_context(locale="en-GB").new_page()
    sign_in(analyst, live_server.url, "ana")
    analyst.get_by_role("link", name="Let the Riverside Three go home").click()
    expect(analyst.get_by_role("heading", name="Signatures per hour")).to_be_visible()
    expect(analyst.locator("svg[role=img]").first).to_be_visible()
    expect(analyst.get_by_role("rowheader", name="Germany")).to_be_visible()
    save_screenshot(analyst, "analyst-dashboard")
    analyst.context.close()
