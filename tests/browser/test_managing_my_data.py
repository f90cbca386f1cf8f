"""A signer manages their data with the keyboard only: asks for a link, opens it from the email
(read in the development outbox, sent by the real worker), downloads their data and erases it."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from playwright.sync_api import Locator, Page, expect

from tests.browser.keyboard import MAX_TABS, focused, tab_to_button, tab_to_field
from tests.factories import make_petition, make_signature
from tests.fixtures.browser import save_screenshot
from undersigned.signatures.models import Signature
from undersigned.signatures.selectors import counted_total
from undersigned.signatures.services import count_new_confirmations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OUTBOX_WAIT_S = 20
EMAIL = "grace@example.org"
OTHER_EMAIL = "linus@example.net"
EMPTY_EMAIL_ERROR = "Please enter your email address."
CONFIRM_ERROR = "Please tick the box to confirm that you want this."
SUBJECT = "Your link to manage your data"


def _tab_to_link(page: Page, text: str) -> int:
    """Press Tab until a link whose text contains `text` has focus."""
    for presses in range(1, MAX_TABS + 1):
        page.keyboard.press("Tab")
        if focused(page, "tagName") == "a" and text in (focused(page, "text") or ""):
            return presses
    raise AssertionError(f"{MAX_TABS} presses of Tab never reached the link {text!r}")


def _press_enter_and_wait(page: Page) -> None:
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _described_by(page: Page, field: Locator) -> list[str | None]:
    ids = (field.get_attribute("aria-describedby") or "").split()
    return page.evaluate(
        "(ids) => ids.map((id) => document.getElementById(id)?.textContent.trim() ?? null)", ids
    )


def _assert_errors_announced(page: Page, field: Locator, error: str) -> None:
    """The error summary has focus (so it is read out), and the field is described by its error."""
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_have_text("Please correct the marked fields.")
    expect(field).to_have_attribute("aria-invalid", "true")
    described = _described_by(page, field)
    assert None not in described, f"aria-describedby names a missing element: {described}"
    assert error in described, f"the field is not described by its error: {described}"


def _open_the_email_in_the_outbox(page: Page) -> None:
    """From "check your email", by keyboard: the outbox, then the newest email with the link."""
    _tab_to_link(page, "outbox")
    _press_enter_and_wait(page)
    deadline = time.monotonic() + OUTBOX_WAIT_S
    while page.get_by_role("link", name=SUBJECT).count() == 0:
        assert time.monotonic() < deadline, f"no email in the outbox after {OUTBOX_WAIT_S}s"
        page.wait_for_timeout(300)
        page.reload()
    expect(page.get_by_role("cell", name=EMAIL)).to_be_visible()
    _tab_to_link(page, SUBJECT)
    _press_enter_and_wait(page)
    expect(page.get_by_role("heading", level=1, name=SUBJECT)).to_be_visible()
    _tab_to_link(page, "/my-data/link/")
    _press_enter_and_wait(page)


def test_signer_manages_downloads_and_erases_their_data_with_the_keyboard_only(
    live_server: Any, page: Page, settings: Any, monkeypatch: Any, start_worker: Any
) -> None:
    settings.DEV_OUTBOX = True
    monkeypatch.setenv("SITE_URL", live_server.url)  # the worker writes links with SITE_URL
    petition = make_petition(title_en="Let the Riverside Three go home")
    mine = make_signature(petition, email=EMAIL, name="Grace Hopper", country="GB")
    make_signature(petition, email=OTHER_EMAIL, name="Linus Other")
    count_new_confirmations()
    assert counted_total(petition.pk)[0] == 2
    start_worker(email_url="")

    # From the petition page, the footer's "Manage my data" link.
    page.goto(f"{live_server.url}/petitions/{petition.slug}/")
    _tab_to_link(page, "Manage my data")
    _press_enter_and_wait(page)
    page.wait_for_url(f"{live_server.url}/my-data/")
    expect(page.get_by_role("heading", level=1, name="Manage my data")).to_be_visible()

    # An empty form first: the summary takes focus and the field is described by its error.
    tab_to_field(page, "email")
    _press_enter_and_wait(page)
    email_field = page.locator('[name="email"]')
    _assert_errors_announced(page, email_field, EMPTY_EMAIL_ERROR)
    save_screenshot(page, "my-data-request-errors")

    tab_to_field(page, "email")
    page.keyboard.type(EMAIL)
    _press_enter_and_wait(page)
    page.wait_for_url(f"{live_server.url}/my-data/check-your-email/")
    expect(page.get_by_role("heading", level=1, name="Check your email")).to_be_visible()

    _open_the_email_in_the_outbox(page)
    expect(page.get_by_role("heading", level=1, name="Manage my data")).to_be_visible()
    tab_to_button(page, "Show my data")
    page.keyboard.press("Space")
    page.wait_for_url(f"{live_server.url}/my-data/you/")
    expect(page.get_by_role("heading", level=3, name=petition.title)).to_be_visible()
    assert page.get_by_role("article").count() == 1, "another signer's signature is shown"
    save_screenshot(page, "my-data-manage")

    _tab_to_link(page, "Download my data (JSON)")
    with page.expect_download() as download_info:
        page.keyboard.press("Enter")
    download = download_info.value
    assert download.suggested_filename == "my-data.json"
    data = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert [row["email"] for row in data["signatures"]] == [EMAIL]
    assert data["signatures"][0]["petition"]["title"] == petition.title
    assert data["signatures"][0]["counted_in_public_total"] is True
    assert OTHER_EMAIL not in json.dumps(data) and "Linus Other" not in json.dumps(data)

    _tab_to_link(page, "Erase all my data")
    _press_enter_and_wait(page)
    expect(page.get_by_role("heading", level=1, name="Erase all my data")).to_be_visible()
    # Pressing the button without ticking the box erases nothing and says why.
    tab_to_button(page, "Erase everything")
    _press_enter_and_wait(page)
    confirm = page.locator('[name="confirm"]')
    _assert_errors_announced(page, confirm, CONFIRM_ERROR)
    assert Signature.objects.filter(pk=mine.pk).exists()

    tab_to_field(page, "confirm")
    page.keyboard.press("Space")
    expect(confirm).to_be_checked()
    tab_to_button(page, "Erase everything")
    _press_enter_and_wait(page)
    page.wait_for_url(f"{live_server.url}/my-data/erased/")
    expect(page.get_by_role("heading", level=1, name="Your data is erased")).to_be_visible()

    assert not Signature.objects.filter(email_normalised=EMAIL).exists()
    assert Signature.objects.filter(petition=petition, email=OTHER_EMAIL).exists()
    cache.clear()  # the public count is cached for a few seconds
    assert counted_total(petition.pk)[0] == 1
    page.goto(f"{live_server.url}/petitions/{petition.slug}/")
    expect(page.locator("[data-count]")).to_have_text("1")
    # The session cookie is gone: the data page no longer opens.
    response = page.goto(f"{live_server.url}/my-data/you/")
    assert response is not None and response.status == 403
