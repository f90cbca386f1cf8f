"""A reader of the demo debate who uses only the keyboard: reads both sides and their sources,
says which argument convinced them, answers the question and then sees the verdicts. The
screenshots of docs/images/ (desktop and phone) are taken here, of the page as it is served."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.keyboard import focused
from tests.browser.test_case_and_petition_pages import _axe_results, axe_installed  # noqa: F401
from tests.browser.test_new_pages_are_accessible import _assert_no_serious_violations
from tests.fixtures.browser import save_screenshot
from undersigned.debates import services, tallies
from undersigned.debates.demo import load_demo_debate
from undersigned.debates.models import Argument, StanceAnswer, Vote
from undersigned.web.demo import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCS_IMAGES = Path(__file__).resolve().parents[2] / "docs" / "images"
PATH = "/cases/julian-assange/debates/asylum/"
MAX_TABS = 150


def _tab_until(page: Page, wanted: Any) -> list[str]:
    """Press Tab until `wanted(tag, text, href)` holds; the (tag, text) of each stop on the way."""
    seen = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        tag, text, href = focused(page, "tagName"), focused(page, "text"), focused(page, "href")
        seen.append(f"{tag}: {text}")
        if wanted(tag or "", text or "", href or ""):
            return seen
    raise AssertionError(f"{MAX_TABS} presses of Tab never got there: {seen[-10:]}")


def _publish_docs_image(page: Page, name: str) -> None:
    shutil.copyfile(save_screenshot(page, name), DOCS_IMAGES / f"{name}.png")


def _earlier_readers(debate: Any) -> int:
    """Some verdicts from other readers, so the page (and its screenshot) shows tallies."""
    arguments = list(Argument.objects.filter(debate=debate).order_by("id"))
    cast = 0
    for reader in range(12):
        for argument in arguments[reader % 3 :: 4]:
            services.cast_vote(argument, client_ip=f"198.51.100.{reader}")
            cast += 1
        services.answer_stance(
            debate, ["yes", "no", "not_sure"][reader % 3], client_ip=f"198.51.100.{reader}"
        )
    tallies.tally_new_votes()
    return cast


def test_a_reader_reads_the_demo_debate_and_votes_with_the_keyboard_only(
    live_server: Any, page: Page
) -> None:
    load_demo()
    earlier = _earlier_readers(load_demo_debate())
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}{PATH}")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Should Ecuador grant asylum to Julian Assange?"
    )
    # Both sides side by side on a wide screen: the first "for" left of the first "against".
    first_for = page.locator(".argument--for").first.bounding_box()
    first_against = page.locator(".argument--against").first.bounding_box()
    assert first_for and first_against and first_for["x"] < first_against["x"]
    _publish_docs_image(page, "debate-desktop")

    # Tab through the first argument: its source link (with its domain shown), then its vote.
    stops = _tab_until(page, lambda tag, text, href: tag == "a" and "ohchr.org" in href)
    assert any("Julian Assange" in stop for stop in stops[-1:])
    expect(page.locator(".argument__domain").first).to_contain_text("ohchr.org")
    _tab_until(page, lambda tag, text, href: tag == "button" and text == "This convinced me")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("status").first).to_contain_text("your vote is counted")
    assert Vote.objects.count() == earlier + 1

    # Further down: the question itself. Tab to its first answer, choose "No" with the arrows,
    # then Tab to the button and press Enter; the results appear once answered.
    expect(page.get_by_text("readers answered the question")).to_have_count(0)
    _tab_until(page, lambda tag, text, href: tag == "input" and focused(page, "name") == "answer")
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("No", exact=True)).to_be_checked()
    _tab_until(page, lambda tag, text, href: tag == "button" and text == "Give my answer")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert StanceAnswer.objects.order_by("-id").first().answer == "no"  # type: ignore[union-attr]
    tallies.tally_new_votes()
    page.reload()
    expect(page.get_by_text("13 readers answered the question.")).to_be_visible()


def test_on_a_phone_the_two_sides_are_one_interleaved_list(browser: Browser, live_server: Any):
    load_demo()
    load_demo_debate()
    context = browser.new_context(locale="en-GB", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server.url}{PATH}")
    sides = page.locator(".debate__columns .argument").evaluate_all(
        "(nodes) => nodes.map((n) => [n.classList.contains('argument--for'), n.offsetLeft])"
    )
    assert [is_for for is_for, _left in sides[:4]] == [True, False, True, False]
    assert len({left for _is_for, left in sides}) == 1  # one column
    expect(page.locator(".debate__column-head").first).to_be_hidden()
    _publish_docs_image(page, "debate-phone")
    context.close()


@pytest.mark.usefixtures("axe_installed")
def test_the_debate_pages_have_no_serious_axe_violations(live_server: Any, page: Page) -> None:
    load_demo()
    load_demo_debate()
    found = {}
    for path in (PATH, f"{PATH}?thanks=stance", f"{PATH}contribute/"):
        page.goto(f"{live_server.url}{path}")
        found[path] = _axe_results(page)
    _assert_no_serious_violations(found)
