"""An admin makes an API key in a real browser: it is shown once, works at once, is never
shown again, and can be revoked; axe-core checks the new staff pages (list, errors, the
"shown once" page, a petition's partner page)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import Browser, expect

from tests.browser.test_case_and_petition_pages import _axe_results, axe_installed  # noqa: F401
from tests.browser.test_new_pages_are_accessible import _assert_no_serious_violations
from tests.factories import make_case, make_organisation, make_petition, make_staff
from tests.partners.helpers import petition_url
from tests.sign_in import sign_in_in_browser
from undersigned.campaigns.models import Role

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("axe_installed"),
]


def test_an_admin_makes_a_key_sees_it_once_and_revokes_it(live_server: Any, browser: Browser):
    organisation = make_organisation(name="Riverside Watch")
    petition = make_petition(case=make_case(organisation=organisation), title_en="Free them")
    admin = make_staff(organisation, Role.ADMIN, username="ada-admin")
    page = browser.new_context(locale="en-GB").new_page()
    page.set_default_timeout(10_000)
    sign_in_in_browser(page, live_server.url, admin.username)
    found: dict[str, dict[str, Any]] = {}

    page.goto(f"{live_server.url}/staff/")
    page.get_by_role("link", name="API keys for your CRM and partners").click()
    found["/staff/api-keys/"] = _axe_results(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Make the key").click()
    expect(page.locator("#error-summary")).to_be_focused()
    found["/staff/api-keys/ (errors)"] = _axe_results(page)

    page.get_by_label("Name", exact=True).fill("CiviCRM sync")
    page.get_by_label("read signatures (identifiers, countries, dates)").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Make the key").click()
    expect(page.get_by_role("heading", name="Your new API key")).to_be_visible()
    key = page.get_by_label("The key").input_value()
    assert key.startswith("usk_")
    found["/staff/api-keys/ (shown once)"] = _axe_results(page)

    api = Client()
    headers = {"Authorization": f"Bearer {key}"}
    assert api.get(petition_url(petition), headers=headers).status_code == 200

    page.get_by_role("link", name="I have kept it, back to the keys").click()
    assert key not in page.content()
    expect(page.get_by_role("row", name="CiviCRM sync")).to_contain_text(key[:12])
    with page.expect_navigation():
        page.get_by_role("button", name="Revoke CiviCRM sync").click()
    expect(page.get_by_role("status")).to_contain_text("revoked")
    assert api.get(petition_url(petition), headers=headers).status_code == 401

    page.goto(f"{live_server.url}/staff/petitions/{petition.slug}/partners/")
    found["/staff/petitions/<slug>/partners/"] = _axe_results(page)
    page.get_by_label("Count signatures that a partner verified").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("saved")
    print(json.dumps({k: len(v["violations"]) for k, v in found.items()}))
    _assert_no_serious_violations(found)
