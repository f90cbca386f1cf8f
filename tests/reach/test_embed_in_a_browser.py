"""In Chromium: a partner's page on another origin pastes the embed snippet; the script
inserts the widget, sizes its frame from the widget's postMessage, and a signer signs inside
the frame. axe-core checks the widget; the policy's violations are watched in the frame."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_case_and_petition_pages import _axe_results, axe_installed  # noqa: F401
from tests.browser.test_content_security_policy import LISTEN
from tests.factories import make_case, make_organisation, make_petition
from tests.fixtures.browser import save_screenshot
from undersigned.signatures.models import Signature

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PARTNER_PORT = 15710  # this worktree's port range (15700-15799)

SNIPPET = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>A partner's blog</title></head><body><main><h1>Our partner's post</h1>
<p>Please sign:</p>
<div data-undersigned-embed="{embed}"></div>
<script src="{script}" async></script>
<noscript><a href="{petition}">Sign the petition</a></noscript>
</main></body></html>"""


@pytest.fixture
def partner_site(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A plain static web server on another origin, as a partner's site."""
    server = subprocess.Popen(  # noqa: S603 (our own interpreter, fixed arguments)
        [sys.executable, "-m", "http.server", str(PARTNER_PORT), "--bind", "127.0.0.1",
         "--directory", str(tmp_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", PARTNER_PORT)) == 0:
                    break
            time.sleep(0.05)
        yield tmp_path, f"http://127.0.0.1:{PARTNER_PORT}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def partner_page(partner: tuple[Path, str], live_url: str, petition: Any, query: str) -> str:
    folder, origin = partner
    embed = f"{live_url}/petitions/{petition.slug}/embed/{query}"
    html = SNIPPET.format(
        embed=embed,
        script=f"{live_url}/embed.js",
        petition=f"{live_url}/petitions/{petition.slug}/",
    )
    (folder / "partner.html").write_text(html)
    return f"{origin}/partner.html"


def test_a_signer_signs_inside_the_widget_on_a_partners_site(
    live_server: Any, page: Page, settings: Any, partner_site: tuple[Path, str]
) -> None:
    settings.PROOF_OF_WORK = True
    settings.PROOF_OF_WORK_COST = 20_000
    assert "localhost" in live_server.url  # the partner is 127.0.0.1: another origin
    petition = make_petition(
        case=make_case(organisation=make_organisation(name="Riverside Watch")),
        title_en="Let the Riverside Three go home",
    )
    page.add_init_script(LISTEN)
    page.goto(partner_page(partner_site, live_server.url, petition, "?form=1"))

    frame_element = page.locator("iframe")
    expect(frame_element).to_have_count(1)
    frame = page.frame_locator("iframe")
    expect(frame.get_by_role("heading", name="Let the Riverside Three go home")).to_be_visible()
    # The script sized the frame to the widget (the form is taller than the first 420px).
    expect(frame_element).not_to_have_attribute("height", "420")
    content = frame.locator("html").evaluate("e => Math.ceil(e.getBoundingClientRect().height)")
    assert abs(int(frame_element.get_attribute("height") or 0) - content) <= 2

    frame.get_by_label("Your name").fill("Ada Lovelace")
    frame.get_by_label("Your email address").fill("ada@example.org")
    frame.get_by_label("Your country").select_option("DE")
    frame.locator("input[name=privacy_consent]").check()
    expect(frame.locator("[data-pow-status]")).to_have_text("Browser check done.")
    save_screenshot(page, "embed-widget-on-a-partner-page")
    frame.get_by_role("button", name="Sign now").click()
    expect(frame.get_by_text("Check your email")).to_be_visible()

    signature = Signature.objects.get(petition=petition)
    assert (signature.email, signature.source, signature.held_reason) == (
        "ada@example.org", "embed", "",
    )  # fmt: skip
    widget = next(f for f in page.frames if "/embed/" in f.url)
    assert widget.evaluate("window.__cspViolations || []") == []
    # After the answer, the frame was sized again (the thank-you is shorter than the form).
    content = frame.locator("html").evaluate("e => Math.ceil(e.getBoundingClientRect().height)")
    assert abs(int(frame_element.get_attribute("height") or 0) - content) <= 2


def test_a_message_from_another_window_does_not_resize_the_frame(
    live_server: Any, page: Page, partner_site: tuple[Path, str]
) -> None:
    petition = make_petition()
    page.goto(partner_page(partner_site, live_server.url, petition, ""))
    frame_element = page.locator("iframe")
    expect(frame_element).not_to_have_attribute("height", "420")
    before = frame_element.get_attribute("height")
    page.evaluate(
        "window.postMessage({type: 'undersigned:embed-height', height: 2500}, '*')"
    )  # the partner page itself (or another frame) posing as the widget
    page.wait_for_timeout(300)
    assert frame_element.get_attribute("height") == before


@pytest.mark.usefixtures("axe_installed")
def test_the_widget_has_no_serious_axe_violations(live_server: Any, page: Page) -> None:
    petition = make_petition(title_en="Let the Riverside Three go home")
    found = {}
    for query in ("", "?form=1", "?form=1&theme=dark", "?accent=1d70b8&theme=dark"):
        page.goto(f"{live_server.url}/petitions/{petition.slug}/embed/{query}")
        found[query] = _axe_results(page)
    serious = {
        query: [v for v in result["violations"] if v["impact"] in {"serious", "critical"}]
        for query, result in found.items()
    }
    assert all(result["passes"] > 0 for result in found.values())
    assert not any(serious.values()), serious
