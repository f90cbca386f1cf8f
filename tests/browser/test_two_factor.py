"""In Chromium: staff set up and use a second factor — an authenticator app (the code computed
from the key the page shows, as a phone would) and a passkey (Chromium's virtual
authenticator, through the DevTools protocol) — and a data officer without one reaches no
export."""

from __future__ import annotations

import json
from typing import Any

import pytest
from axes.models import AccessAttempt
from playwright.sync_api import Page, expect

from tests.browser.passkeys import virtual_authenticator
from tests.factories import make_case, make_organisation, make_petition, make_staff
from tests.sign_in import code_from_secret, sign_in_in_browser
from undersigned.audit.models import AuditAction, AuditLogEntry
from undersigned.campaigns.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-test-password"


def _failures(username: str) -> int:
    return sum(AccessAttempt.objects.filter(username=username).values_list(
        "failures_since_start", flat=True))  # fmt: skip


def type_password(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/staff/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_moderator_sets_up_an_authenticator_app_and_signs_in_with_it(
    live_server: Any, page: Page
) -> None:
    make_staff(make_organisation(), Role.MODERATOR, username="mo")
    type_password(page, live_server.url, "mo")
    expect(page).to_have_url(f"{live_server.url}/staff/sign-in/set-up/?next=%2Fstaff%2F")
    expect(page.locator(".qr-code svg")).to_be_visible()
    secret = page.locator("[data-totp-secret]").inner_text()
    page.get_by_label("Code").fill("000000" if code_from_secret(secret) != "000000" else "111111")
    page.get_by_role("button", name="Turn on the app").click()
    expect(page.get_by_role("alert")).to_contain_text("Please correct the marked fields.")
    expect(page.locator(".field-error")).to_contain_text("That code is wrong")
    page.wait_for_timeout(1100)  # django-otp wants a second's pause after a wrong code
    page.get_by_label("Code").fill(code_from_secret(secret))
    page.get_by_role("button", name="Turn on the app").click()
    codes = page.get_by_role("list", name="Recovery codes").get_by_role("listitem")
    expect(codes).to_have_count(10)
    page.get_by_role("link", name="I have kept them, continue").click()
    expect(page).to_have_url(f"{live_server.url}/staff/")

    page.get_by_role("button", name="Sign out").click()
    sign_in_in_browser(page, live_server.url, "mo", secret)
    expect(page).to_have_url(f"{live_server.url}/staff/")
    actions = list(AuditLogEntry.objects.order_by("id").values_list("action", flat=True))
    assert AuditAction.SECOND_FACTOR_FAILED in actions
    assert actions.count(AuditAction.SECOND_FACTOR_PASSED) == 1
    assert AuditAction.TWO_FACTOR_ENROLLED in actions


def _session_id(page: Page) -> str:
    return next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")


def _add_a_passkey(page: Page, base_url: str, username: str) -> None:
    type_password(page, base_url, username)
    expect(page).to_have_url(f"{base_url}/staff/sign-in/set-up/?next=%2Fstaff%2F")
    with_password_only = _session_id(page)
    page.get_by_role("button", name="Add a passkey").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    assert _session_id(page) != with_password_only  # a new session id once the factor is in
    page.get_by_role("link", name="I have kept them, continue").click()
    page.get_by_role("button", name="Sign out").click()


def test_a_data_officer_adds_a_passkey_and_signs_in_with_it(page: Page, passkeys_here: str):
    make_staff(make_organisation(), Role.DATA_OFFICER, username="dora")
    virtual_authenticator(page)
    _add_a_passkey(page, passkeys_here, "dora")

    type_password(page, passkeys_here, "dora")
    expect(page).to_have_url(f"{passkeys_here}/staff/sign-in/second-factor/?next=%2Fstaff%2F")
    page.get_by_role("button", name="Use my passkey").click()
    expect(page).to_have_url(f"{passkeys_here}/staff/")
    entry = AuditLogEntry.objects.filter(action=AuditAction.SECOND_FACTOR_PASSED).get()
    assert (entry.username, entry.detail) == ("dora", "passkey")


def test_a_passkey_answer_is_refused_for_another_account_and_from_another_origin(
    page: Page, passkeys_here: str, settings: Any
) -> None:
    organisation = make_organisation()
    make_staff(organisation, Role.DATA_OFFICER, username="dora")
    make_staff(organisation, Role.DATA_OFFICER, username="eve")
    virtual_authenticator(page)
    _add_a_passkey(page, passkeys_here, "dora")
    # Dora signs in with her passkey; her authenticator's answer is kept.
    answers: list[str] = []
    page.on("request", lambda r: answers.append(r.post_data or "") if (
        "/authentication/complete/" in r.url) else None)  # fmt: skip
    type_password(page, passkeys_here, "dora")
    page.get_by_role("button", name="Use my passkey").click()
    expect(page).to_have_url(f"{passkeys_here}/staff/")
    page.get_by_role("button", name="Sign out").click()

    # Eve, with her own password, replays Dora's answer: refused, counted, on the log.
    other = page.context.browser.new_context(locale="en-GB").new_page()  # type: ignore[union-attr]
    type_password(other, passkeys_here, "eve")
    token = other.locator("input[name=csrfmiddlewaretoken]").first.get_attribute("value")
    api = f"{passkeys_here}/staff/sign-in/passkey/authentication"
    headers = {"X-CSRFToken": token or "", "Content-Type": "application/json"}
    other.request.post(f"{api}/begin/", headers=headers)
    refused = other.request.post(f"{api}/complete/", headers=headers, data=answers[0])
    assert (
        refused.status == 403 and json.loads(refused.body())["code"] == "credential_user_mismatch"
    )
    failure = AuditLogEntry.objects.get(action=AuditAction.SECOND_FACTOR_FAILED)
    assert (failure.username, failure.detail) == ("eve", "passkey: credential_user_mismatch")
    assert _failures("eve") == 1  # toward the lockout, as a wrong code is

    # Dora's passkey, asked for from an origin the server does not serve: refused too.
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = ["https://petitions.example.org"]
    type_password(page, passkeys_here, "dora")
    with page.expect_response(lambda r: "/authentication/complete/" in r.url) as answer:
        page.get_by_role("button", name="Use my passkey").click()
    assert answer.value.status in (400, 403, 422)
    expect(page.locator("#passkey-verification-status-message")).not_to_be_empty(timeout=15_000)
    assert page.url.startswith(f"{passkeys_here}/staff/sign-in/second-factor/")
    assert AuditLogEntry.objects.filter(
        action=AuditAction.SECOND_FACTOR_FAILED, username="dora"
    ).exists()
    assert _failures("dora") == 1
    other.context.close()


def test_a_data_officer_without_a_second_factor_reaches_no_export(live_server: Any, page: Page):
    petition = make_petition(case=make_case(organisation=make_organisation()))
    make_staff(petition.case.organisation, Role.DATA_OFFICER, username="dora")
    type_password(page, live_server.url, "dora")
    expect(page).to_have_url(f"{live_server.url}/staff/sign-in/set-up/?next=%2Fstaff%2F")
    export = f"/staff/petitions/{petition.slug}/export/signatures.csv?with_email=1"
    response = page.request.get(f"{live_server.url}{export}", max_redirects=0)
    assert response.status == 302
    assert response.headers["location"].startswith("/staff/sign-in/set-up/")
    page.goto(f"{live_server.url}/admin/signatures/signature/")
    expect(page).to_have_url(
        f"{live_server.url}/staff/sign-in/set-up/?next=%2Fadmin%2Fsignatures%2Fsignature%2F"
    )
    assert not AuditLogEntry.objects.filter(action=AuditAction.SIGNATURES_CSV_WITH_EMAIL).exists()
