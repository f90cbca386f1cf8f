"""axe-core on the back office's webhook pages, and an admin adding one by keyboard."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.test_case_and_petition_pages import _axe_results, axe_installed  # noqa: F401
from tests.browser.test_new_pages_are_accessible import _assert_no_serious_violations
from tests.factories import make_organisation, make_staff
from tests.sign_in import sign_in_in_browser
from undersigned.campaigns.models import Role
from undersigned.webhooks.models import Delivery, Endpoint

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("axe_installed"),
]


def test_webhook_pages_have_no_serious_axe_violations(live_server: Any, browser: Browser) -> None:
    organisation = make_organisation(name="Riverside Watch")
    admin = make_staff(organisation, Role.ADMIN, username="ada-admin")
    page = browser.new_context(locale="en-GB").new_page()
    page.set_default_timeout(10_000)
    sign_in_in_browser(page, live_server.url, admin.username)
    found: dict[str, dict[str, Any]] = {}
    base = f"{live_server.url}/staff/organisations/{organisation.slug}/webhooks/"

    page.goto(base)
    found["webhooks"] = _axe_results(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Add the webhook").click()
    expect(page.locator("#error-summary")).to_be_visible()
    found["webhooks (errors)"] = _axe_results(page)

    page.get_by_label("Name", exact=True).fill("CiviCRM")
    page.get_by_label("URL", exact=True).fill("https://crm.example.org/hooks")
    page.get_by_label("a signature was confirmed and counted").check()
    page.get_by_label("Name", exact=True).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")  # submits the form, as a keyboard user does
    secret = page.get_by_label("Signing secret").input_value()
    assert secret.startswith("whsec_")
    found["the secret, shown once"] = _axe_results(page)

    endpoint = Endpoint.objects.get()
    assert endpoint.secret == secret and not endpoint.enabled
    Delivery.objects.create(endpoint=endpoint, attempts=2, response_status=503, failure="status")
    page.get_by_role("link", name="I have copied it: go to the webhook").click()
    expect(page.get_by_role("heading", level=1, name="Webhook CiviCRM")).to_be_visible()
    found["a webhook and its delivery log"] = _axe_results(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Enable").click()
    expect(page.get_by_text("The webhook is enabled")).to_be_visible()

    page.context.close()
    _assert_no_serious_violations(found)
