"""A signer who uses only the keyboard: reaches the form, hears the errors, fixes them, signs."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.keyboard import focused, tab_to_button, tab_to_field
from tests.factories import make_petition
from tests.fixtures.browser import save_screenshot
from undersigned.signatures.models import Signature

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BAD_EMAIL_ERROR = "This does not look like an email address; please check it (name@example.org)."
COUNTRY_ERROR = "Please choose your country."
CONSENT_ERROR = "Please agree to the privacy notice to sign."


def _described_by(page: Page, field: Locator) -> list[str | None]:
    """The texts of the elements that the field's aria-describedby names (None if missing)."""
    ids = (field.get_attribute("aria-describedby") or "").split()
    return page.evaluate(
        "(ids) => ids.map((id) => document.getElementById(id)?.textContent.trim() ?? null)", ids
    )


def _submit_without_email_country_or_consent(page: Page, url: str) -> None:
    page.goto(url)
    tab_to_field(page, "name")
    page.keyboard.type("Ada Lovelace")
    tab_to_field(page, "email")
    page.keyboard.type("ada-at-example")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_signer_signs_with_the_keyboard_only_and_hears_the_errors(
    live_server: Any, page: Page
) -> None:
    petition = make_petition()
    url = f"{live_server.url}/petitions/{petition.slug}/"

    # First try: a mistyped address, no country, no consent; Enter in the email field sends it.
    _submit_without_email_country_or_consent(page, url)

    page.wait_for_url(f"{live_server.url}/petitions/{petition.slug}/sign/")
    alert = page.locator('form.sign-form [role="alert"], form.sign-form [aria-live]').first
    expect(alert).to_contain_text("Please correct the marked fields.")
    expect(alert.locator("#error-summary")).to_be_visible()
    for error in (BAD_EMAIL_ERROR, COUNTRY_ERROR, CONSENT_ERROR):
        expect(page.get_by_text(error, exact=True)).to_be_visible()
    for name in ("email", "country", "privacy_consent"):
        expect(page.locator(f'[name="{name}"]')).to_have_attribute("aria-invalid", "true")
        expect(page.locator(f'[name="{name}"]')).to_have_attribute(
            "aria-describedby", re.compile(r"\S")
        )
    expect(page.locator('[name="name"]')).not_to_have_attribute("aria-invalid", "true")
    # The checkbox's description is the template's own; it points at its error.
    consent = page.locator('[name="privacy_consent"]')
    assert CONSENT_ERROR in _described_by(page, consent)
    expect(page.locator('[name="name"]')).to_have_value("Ada Lovelace")
    save_screenshot(page, "sign-form-errors")

    # Second try, still by keyboard: retype the address, pick a country by typing its name,
    # tick the consent with Space, then Tab to "Sign now" and press Enter.
    tab_to_field(page, "email")
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type("ada@example.org")
    tab_to_field(page, "country")
    page.keyboard.type("Germany")
    expect(page.locator('[name="country"]')).to_have_value("DE")
    tab_to_field(page, "privacy_consent")
    page.keyboard.press("Space")
    expect(consent).to_be_checked()
    tab_to_button(page, "Sign now")
    assert focused(page, "type") == "submit"
    with page.expect_navigation():
        page.keyboard.press("Enter")

    page.wait_for_url(f"{live_server.url}/petitions/{petition.slug}/check-your-email/")
    expect(page.get_by_role("heading", level=1, name="Check your email")).to_be_visible()
    signature = Signature.objects.get(petition=petition)
    assert (signature.email, signature.country, signature.confirmed_at) == (
        "ada@example.org", "DE", None,
    )  # fmt: skip


def test_screen_reader_hears_each_field_error_when_the_field_is_focused(
    live_server: Any, page: Page
) -> None:
    petition = make_petition()
    _submit_without_email_country_or_consent(page, f"{live_server.url}/petitions/{petition.slug}/")

    for name, error in (("email", BAD_EMAIL_ERROR), ("country", COUNTRY_ERROR)):
        described = _described_by(page, page.locator(f'[name="{name}"]'))
        assert None not in described, f"{name}: aria-describedby names a missing element"
        assert error in described, f"{name}: the error is not in its description"
