"""In a real browser the proof of work is solved while the signer fills in the form."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.keyboard import tab_to_button, tab_to_field
from tests.factories import make_petition
from undersigned.signatures.models import Signature

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_keyboard_signer_with_the_proof_of_work_on_is_not_held(
    live_server: Any, page: Page, settings: Any
) -> None:
    settings.PROOF_OF_WORK = True
    settings.PROOF_OF_WORK_COST = 20_000
    petition = make_petition()
    page.goto(f"{live_server.url}/petitions/{petition.slug}/")

    tab_to_field(page, "name")
    page.keyboard.type("Ada Lovelace")
    tab_to_field(page, "email")
    page.keyboard.type("ada@example.org")
    tab_to_field(page, "country")
    page.keyboard.type("Germany")
    tab_to_field(page, "privacy_consent")
    page.keyboard.press("Space")
    # The check is announced to screen readers as it finishes.
    expect(page.locator("[data-pow-status]")).to_have_text("Browser check done.")
    tab_to_button(page, "Sign now")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    page.wait_for_url(f"{live_server.url}/petitions/{petition.slug}/check-your-email/")
    signature = Signature.objects.get(petition=petition)
    assert (signature.email, signature.held_reason) == ("ada@example.org", "")
