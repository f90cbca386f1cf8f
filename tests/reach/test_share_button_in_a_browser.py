"""In Chromium: the thank-you page's Share… button uses the browser's share sheet where there
is one, by keyboard too; where there is none, copying the link is offered instead. The page
shows the petition's QR code for the person next to the signer."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.keyboard import tab_to_button
from tests.factories import make_petition

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FAKE_SHARE_SHEET = """
window.__shared = [];
navigator.share = (data) => { window.__shared.push(data); return Promise.resolve(); };
navigator.canShare = () => true;
"""


def test_the_share_button_opens_the_share_sheet_by_keyboard(live_server: Any, page: Page) -> None:
    petition = make_petition(title_en="Let the Riverside Three go home")
    page.add_init_script(FAKE_SHARE_SHEET)  # Chromium on Linux has no share sheet of its own
    page.goto(f"{live_server.url}/petitions/{petition.slug}/thank-you/")
    expect(page.get_by_role("button", name="Share…")).to_be_visible()
    tab_to_button(page, "Share…")
    page.keyboard.press("Enter")
    shared = page.evaluate("window.__shared")
    assert shared == [
        {
            "title": "Let the Riverside Three go home",
            "text": "I signed “Let the Riverside Three go home”. Will you sign too?",
            "url": f"{live_server.url}/petitions/{petition.slug}/",
        }
    ]


def test_without_a_share_sheet_the_link_can_be_copied(live_server: Any, browser: Browser) -> None:
    petition = make_petition()
    context = browser.new_context(locale="en-GB")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    page.goto(f"{live_server.url}/petitions/{petition.slug}/thank-you/")
    assert page.evaluate("typeof navigator.share") == "undefined"
    expect(page.get_by_role("button", name="Share…")).to_be_hidden()
    tab_to_button(page, "Copy link")
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Link copied")).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == f"{live_server.url}/petitions/{petition.slug}/"
    context.close()


def test_the_thank_you_page_shows_the_qr_code_to_pass_the_phone(
    live_server: Any, page: Page
) -> None:
    petition = make_petition(title_en="Let the Riverside Three go home")
    page.goto(f"{live_server.url}/petitions/{petition.slug}/thank-you/")
    image = page.get_by_role("img", name="QR code that opens the petition")
    expect(image).to_be_visible()
    assert image.evaluate("i => i.complete && i.naturalWidth > 0")
