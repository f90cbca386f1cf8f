"""axe-core on the newer pages: the signer's privacy pages, public petitions, the petition page
with the browser check on, and the staff moderation, retention and audit pages."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from tests.browser.test_case_and_petition_pages import _axe_results, axe_installed  # noqa: F401
from tests.factories import make_case, make_organisation, make_petition, make_signature, make_staff
from tests.proposals.helpers import make_proposal
from tests.sign_in import sign_in_in_browser
from undersigned.audit.models import AuditAction
from undersigned.audit.services import record
from undersigned.campaigns.models import Role
from undersigned.privacy.models import DataRequest
from undersigned.privacy.my_data.services import LINK_LIFETIME, new_link_key
from undersigned.signatures.models import HeldReason
from undersigned.signatures.services import count_new_confirmations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("axe_installed"),
]


def _assert_no_serious_violations(found: dict[str, dict[str, Any]]) -> None:
    print("\naxe-core results by page:\n" + json.dumps(found, indent=2))
    assert all(result["passes"] > 0 for result in found.values()), "axe-core did not run"
    serious = {
        path: [v for v in result["violations"] if v["impact"] in {"serious", "critical"}]
        for path, result in found.items()
    }
    assert not any(serious.values()), json.dumps(serious, indent=2)


def _link_for(email: str) -> str:
    """A usable "manage my data" link, as the worker would have emailed it."""
    token, key_hash = new_link_key()
    DataRequest.objects.create(
        email=email, email_normalised=email, email_due=False, key_hash=key_hash,
        link_expires_at=timezone.now() + LINK_LIFETIME,
    )  # fmt: skip
    return f"/my-data/link/{token}/"


def test_signer_facing_new_pages_have_no_serious_axe_violations(
    live_server: Any, page: Page, settings: Any
) -> None:
    organisation = make_organisation(name="Riverside Watch")
    settings.PUBLIC_PETITIONS = True
    settings.PUBLIC_PETITIONS_ORGANISATION = organisation.slug
    settings.PROOF_OF_WORK = True
    petition = make_petition(
        case=make_case(organisation=organisation), title_en="Let the Riverside Three go home"
    )
    make_signature(petition, email="ada@example.org")
    count_new_confirmations()
    proposal = make_proposal(organisation, title="Stop the dam on the Riverside")
    found: dict[str, dict[str, Any]] = {}

    def check(label: str) -> None:
        if label.endswith("(errors)"):  # a screen reader starts at the error summary
            expect(page.locator("#error-summary")).to_be_focused()
        found[label] = _axe_results(page)

    for path in ("/privacy/", "/my-data/", "/proposals/new/", f"/proposals/{proposal.slug}/"):
        page.goto(live_server.url + path)
        check(path)
    expect(page.get_by_role("heading", name="Sponsor this petition")).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="Sponsor").click()
    check(f"/proposals/{proposal.slug}/sponsor/ (errors)")
    with page.expect_navigation():
        page.goto(f"{live_server.url}/proposals/new/")
        page.get_by_role("button", name="Send my petition").click()
    check("/proposals/new/ (errors)")

    page.goto(f"{live_server.url}/petitions/{petition.slug}/")
    expect(page.locator("form.sign-form[data-proof-of-work]")).to_have_count(1)
    check(f"/petitions/{petition.slug}/ (proof of work on)")

    page.goto(f"{live_server.url}/my-data/")
    with page.expect_navigation():
        page.get_by_role("button", name="Email me a link").click()
    check("/my-data/ (errors)")

    page.goto(live_server.url + _link_for("ada@example.org"))
    check("/my-data/link/<token>/")
    with page.expect_navigation():
        page.get_by_role("button", name="Show my data").click()
    expect(page.get_by_role("heading", level=3, name=petition.title)).to_be_visible()
    check("/my-data/you/")
    page.get_by_role("link", name="Erase all my data…").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Erase everything").click()
    check("/my-data/you/erase/ (errors)")

    _assert_no_serious_violations(found)


def test_staff_moderation_retention_and_audit_pages_have_no_serious_axe_violations(
    live_server: Any, browser: Browser
) -> None:
    organisation = make_organisation(name="Riverside Watch")
    petition = make_petition(
        case=make_case(organisation=organisation), title_en="Let the Riverside Three go home"
    )
    now = timezone.now()
    for n in range(6):
        make_signature(
            petition, email=f"s{n}@mailinator.example", email_domain="mailinator.example",
            client_subnet="4:c0000200", client_hash=f"hash-{n % 2}",
            created_at=now - timedelta(minutes=n),
            held_reason=HeldReason.SUBNET_RATE if n < 2 else "",
        )  # fmt: skip
    count_new_confirmations()
    record(AuditAction.SIGNER_ERASED, organisation_id=organisation.pk, petition_id=petition.pk)
    admin = make_staff(organisation, Role.ADMIN, username="ada-admin")
    page = browser.new_context(locale="en-GB").new_page()
    page.set_default_timeout(10_000)
    sign_in_in_browser(page, live_server.url, admin.username)

    found: dict[str, dict[str, Any]] = {}
    base = f"/staff/petitions/{petition.slug}"
    for path in (
        f"{base}/fraud/", f"{base}/invalidations/new/", f"{base}/held/", f"{base}/retention/",
        "/staff/audit-log/", f"{base}/reach/",
    ):  # fmt: skip
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200, f"{path}: {response}"
        found[path] = _axe_results(page)

    # The forms again, as staff see them after a preview and after a mistake.
    page.goto(f"{live_server.url}{base}/invalidations/new/")
    page.get_by_label("Email domain").fill("mailinator.example")
    with page.expect_navigation():
        page.get_by_role("button", name="Preview the count").click()
    expect(page.get_by_text("6 signatures match these criteria now.")).to_be_visible()
    found[f"{base}/invalidations/new/ (preview)"] = _axe_results(page)
    page.goto(f"{live_server.url}{base}/held/")
    page.get_by_role("button", name="Preview release").first.click()
    page.wait_for_load_state()
    expect(page.get_by_text("2 held signatures match.")).to_be_visible()
    found[f"{base}/held/ (preview)"] = _axe_results(page)

    page.context.close()
    _assert_no_serious_violations(found)
