"""The progress page counts up by itself while a mailing is sent (Chromium, same-origin JSON)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.factories import make_case, make_petition, make_signature, make_staff
from tests.mailings.helpers import send_whole_mailing
from tests.sign_in import sign_in
from undersigned.campaigns.models import Role
from undersigned.campaigns.services import upsert_update
from undersigned.mailings.services import start_mailing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_analyst_watches_the_sent_count_rise_to_the_total_without_reloading(
    live_server: Any, page: Any, client: Any, smtp_sink: Any
):
    case = make_case()
    for _ in range(4):
        make_signature(make_petition(case=case), opted_in=True)
    mailing = start_mailing(
        upsert_update(case, date(2021, 1, 4), "News"), acting_user=None, per_minute=6000
    )
    sign_in(client, make_staff(case.organisation, Role.ANALYST))
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value,
          "url": live_server.url}]
    )  # fmt: skip
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))  # a script error
    page.goto(f"{live_server.url}/staff/mailings/{mailing.pk}/")
    numbers = page.locator(".mailing-progress__numbers")
    assert numbers.inner_text().startswith("0 of 4 sent")

    send_whole_mailing(mailing)

    expect(numbers).to_contain_text("finished")  # polled by Playwright, no eval in the page
    assert numbers.inner_text().startswith("4 of 4 sent")
    assert page.locator("progress").evaluate("bar => [bar.value, bar.max]") == [4, 4]
    assert errors == []
