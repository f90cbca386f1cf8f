"""In Chromium: the staff cookies' SameSite setting breaks nothing a staff member does — a
link to a staff page followed from another site (an email, a chat) leaves the forms already
open in other tabs working."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.factories import make_organisation, make_staff
from undersigned.campaigns.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_link_from_another_site_leaves_the_forms_open_in_other_tabs_working(
    live_server: Any, page: Page
) -> None:
    make_staff(make_organisation(), Role.EDITOR, username="edith")  # no second factor needed
    ours = live_server.url
    assert ours.startswith("http://localhost:")
    elsewhere = ours.replace("localhost", "127.0.0.1")  # another site, as browsers count them
    page.goto(f"{ours}/staff/login/")
    page.get_by_label("Username").fill("edith")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{ours}/staff/account/")  # this tab keeps its form open

    other_tab = page.context.new_page()
    other_tab.goto(f"{elsewhere}/privacy/")
    other_tab.evaluate(
        """url => { const a = document.createElement("a"); a.href = url; a.id = "from-mail";
                    a.textContent = "open"; document.body.append(a); }""",
        f"{ours}/staff/",
    )
    with other_tab.expect_navigation():
        other_tab.click("#from-mail")
    expect(other_tab.get_by_role("button", name="Sign out")).to_be_visible()  # signed in

    with page.expect_navigation() as made:
        page.get_by_role("button", name="Make new recovery codes").click()
    assert made.value is not None and made.value.status == 200
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
