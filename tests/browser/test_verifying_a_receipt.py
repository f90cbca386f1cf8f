"""A signer checks their receipt on the verifier page, in Chromium: the checkpoint's Ed25519
signature (WebCrypto), the inclusion proof of their leaf built from the tiles, and the count.
A forged or truncated receipt fails with a clear message."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.cache import cache
from playwright.sync_api import Page, expect

from tests.factories import make_petition
from tests.fixtures.browser import save_screenshot
from tests.transparency.helpers import sign_and_confirm
from undersigned.core.linktoken import Kind, token_for
from undersigned.signatures.models import Signature
from undersigned.signatures.services import count_new_confirmations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FORGED = "A" * 43


def _sign_and_confirm(page: Page, base: str, petition: Any, email: str) -> None:
    page.goto(f"{base}/petitions/{petition.slug}/")
    form = page.locator("form.sign-form")
    form.get_by_label("Your name").fill("Grace Hopper")
    form.get_by_label("Your email address").fill(email)
    form.get_by_label("Your country").select_option("GB")
    form.locator('[name="privacy_consent"]').check()
    form.get_by_role("button", name="Sign now").click()
    page.wait_for_url(f"{base}/petitions/{petition.slug}/check-your-email/")
    key = Signature.objects.get(email=email).confirmation_key
    page.goto(f"{base}/confirm/{token_for(Kind.SIGNATURE_CONFIRMATION, key)}/")
    page.get_by_role("button", name="Confirm my signature").click()
    page.wait_for_url(f"{base}/petitions/{petition.slug}/thank-you/")


def _result(page: Page, key: str):
    return page.locator(f'#verify-result [data-result="{key}"]')


def test_a_signers_receipt_verifies_and_a_forged_one_fails(
    live_server: Any, page: Page, settings: Any
) -> None:
    settings.SITE_URL = live_server.url  # receipts and checkpoints name this server
    base = live_server.url
    petition = make_petition(title_en="Let the Riverside Three go home")
    sign_and_confirm(petition, "ada@example.org")  # another signer, from elsewhere
    _sign_and_confirm(page, base, petition, "grace@example.org")
    # The thank-you page gives the receipt at once; the worker appends the leaf seconds later.
    secret = Signature.objects.get(email="grace@example.org").receipt_secret
    expect(page.locator("[data-receipt-secret]")).to_have_text(secret)
    count_new_confirmations()
    cache.clear()  # COUNT_CACHE_SECONDS later, the page shows the new count
    assert "grace" not in page.content() and "ada@" not in page.content()

    page.locator("[data-receipt-link]").click()
    page.wait_for_url(re.compile(rf"/log/{petition.slug}/verify#secret="))
    expect(_result(page, "included")).to_have_text(
        "Your signature is leaf 2 of the log, and the log's signed root proves it."
    )
    expect(_result(page, "signed")).to_contain_text("the log holds 3 entries")
    expect(_result(page, "count")).to_contain_text("The log counts 2 signatures")
    expect(_result(page, "count-matches")).to_be_visible()
    assert _result(page, "no-ed25519").count() == 0, "Chromium checks Ed25519 itself"
    save_screenshot(page, "verify-receipt")

    # A forged receipt: no leaf has its hash, and claiming a leaf number does not help.
    page.goto(f"{base}/log/{petition.slug}/verify")
    page.locator("#receipt-secret").fill(FORGED)
    page.get_by_role("button", name="Check").click()
    expect(_result(page, "not-found")).to_contain_text("No entry of this log matches")
    page.locator("#receipt-index").fill("1")
    page.get_by_role("button", name="Check").click()
    expect(_result(page, "not-included")).to_contain_text("this receipt is forged or mistyped")
    page.locator("#receipt-secret").fill(secret[:20])
    page.get_by_role("button", name="Check").click()
    expect(_result(page, "bad-secret")).to_contain_text("This is not a receipt secret")
    save_screenshot(page, "verify-forged-receipt")


def test_a_checkpoint_not_signed_by_the_published_key_fails_in_the_browser(
    live_server: Any, page: Page, settings: Any
) -> None:
    settings.SITE_URL = live_server.url
    petition = make_petition()
    page.goto(f"{live_server.url}/log/{petition.slug}/verify")
    settings.SECRET_KEY = "another-secret-key-so-another-derived-log-key-0123456789"
    petition.demand_en = "Another demand, signed by another key."  # type: ignore[attr-defined]
    petition.save()  # the new checkpoint is signed by the other key
    page.get_by_role("button", name="Check").click()
    expect(_result(page, "bad-signature")).to_contain_text("do not trust this log")
