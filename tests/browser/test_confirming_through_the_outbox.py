"""A signer confirms through the link in the email, read in the development outbox."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.factories import make_petition
from tests.fixtures.browser import save_screenshot
from undersigned.signatures.models import Signature

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OUTBOX_WAIT_S = 20
COUNT_WAIT_S = 10
SHARE_LINKS = ("Email", "WhatsApp", "Mastodon", "Bluesky", "Facebook", "X")


def test_signer_confirms_through_the_outbox_link(
    live_server: Any, page: Page, settings: Any, monkeypatch: Any, start_worker: Any
) -> None:
    settings.DEV_OUTBOX = True
    # The worker writes links with SITE_URL, as an operator's would; point it at this server.
    monkeypatch.setenv("SITE_URL", live_server.url)
    start_worker(email_url="")
    petition = make_petition(title_en="Let the Riverside Three go home", goal=50)

    page.goto(f"{live_server.url}/petitions/{petition.slug}/")
    form = page.locator("form.sign-form")
    form.get_by_label("Your name").fill("Grace Hopper")
    form.get_by_label("Your email address").fill("grace@example.org")
    form.get_by_label("Your country").select_option("GB")
    form.locator('[name="privacy_consent"]').check()
    form.get_by_role("button", name="Sign now").click()
    page.wait_for_url(f"{live_server.url}/petitions/{petition.slug}/check-your-email/")

    page.get_by_role("link", name="outbox", exact=True).click()
    page.wait_for_url(f"{live_server.url}/dev/outbox/")
    subject = f"Please confirm your signature: {petition.title}"
    email_link = page.get_by_role("link", name=subject)
    deadline = time.monotonic() + OUTBOX_WAIT_S
    while email_link.count() == 0:
        assert time.monotonic() < deadline, f"no email in the outbox after {OUTBOX_WAIT_S}s"
        page.wait_for_timeout(300)
        page.reload()
    expect(page.get_by_role("cell", name="grace@example.org")).to_be_visible()
    email_link.click()

    expect(page.get_by_role("heading", level=1, name=subject)).to_be_visible()
    # Slashes escaped: Playwright hands the pattern to the page as a /…/ literal.
    page.get_by_role("link", name=re.compile(r"\/confirm\/")).click()

    page.wait_for_url(re.compile(r"/confirm/[^/]+/$"))
    confirm = page.get_by_role("button", name="Confirm my signature")
    expect(confirm).to_be_visible()
    assert Signature.objects.get(petition=petition).confirmed_at is None, "a GET confirmed"

    with page.expect_navigation() as navigation:
        confirm.click()
    confirmed_at = time.monotonic()
    response = navigation.value
    if response is None or not response.ok:
        save_screenshot(page, "confirm-refused")
    assert response is not None and response.ok, (
        f"pressing the button answered {response and response.status}: {page.title()!r}"
    )
    page.wait_for_url(f"{live_server.url}/petitions/{petition.slug}/thank-you/")
    expect(page.get_by_role("heading", level=1, name="Thank you for signing")).to_be_visible()
    assert Signature.objects.get(petition=petition).confirmed_at is not None
    expect(page.get_by_role("button", name="Copy link")).to_be_visible()
    for name in SHARE_LINKS:
        expect(page.get_by_role("link", name=name, exact=True)).to_be_visible()

    # The page polls count.json every 5 s; give it one poll, then reload if it still lags.
    count = page.locator("[data-count]")
    try:
        expect(count).to_have_text("1", timeout=6_000)
    except AssertionError:
        page.reload()
        remaining_ms = max(0.0, COUNT_WAIT_S - (time.monotonic() - confirmed_at)) * 1000
        while count.inner_text() != "1" and remaining_ms > 0:
            page.wait_for_timeout(500)
            page.reload()
            remaining_ms = (COUNT_WAIT_S - (time.monotonic() - confirmed_at)) * 1000
        expect(count).to_have_text("1", timeout=1)
    lag = time.monotonic() - confirmed_at
    assert lag <= COUNT_WAIT_S, f"the count showed 1 only after {lag:.1f}s"
    print(f"\ncount shown after {lag:.1f}s")
    save_screenshot(page, "thank-you")
