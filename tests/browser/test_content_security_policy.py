"""In Chromium: every public page, every staff page and the Django admin's pages, under the
Content Security Policy the server sends, raise no violation — no inline script or style, no
resource from elsewhere. Violations are caught both as console messages and as
`securitypolicyviolation` events."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page

from tests.factories import make_case, make_organisation, make_petition, make_staff
from tests.proposals.helpers import make_proposal
from tests.sign_in import sign_in_in_browser
from tests.staff.signing import make_signature, make_signatures, pending
from undersigned.campaigns.models import Membership, Role, Update
from undersigned.mailings.services import start_mailing
from undersigned.petitions.models import PetitionStatus
from undersigned.proposals.states import ProposalState
from undersigned.signatures.models import HeldReason, Invalidation
from undersigned.signatures.services import count_new_confirmations
from undersigned.signatures.tokens import new_confirmation_key, token_for_key

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${where}`);
});
"""


class Watcher:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.found: dict[str, list[str]] = {}
        self.console: list[str] = []
        page.add_init_script(LISTEN)
        page.on("console", self._console)

    def _console(self, message: Any) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.console.append(message.text)

    def visit(self, base_url: str, path: str) -> None:
        response = self.page.goto(f"{base_url}{path}")
        assert response is not None
        policy = response.headers.get("content-security-policy", "")
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy, path
        self.page.wait_for_load_state("networkidle")
        events = self.page.evaluate("window.__cspViolations || []")
        if events or self.console:
            self.found[path] = [*events, *self.console]
        self.console = []


@pytest.fixture
def world(settings: Any) -> dict[str, Any]:
    organisation = make_organisation(name="Riverside Watch")
    settings.PUBLIC_PETITIONS = True
    settings.PUBLIC_PETITIONS_ORGANISATION = organisation.slug
    settings.PROOF_OF_WORK = True
    case = make_case(organisation=organisation, slug="riverside-three", is_published=True)
    petition = make_petition(case=case, slug="free-the-three", goal=100)
    draft = make_petition(case=case, slug="a-draft", status=PetitionStatus.DRAFT)
    make_signatures(petition, 12)
    make_signatures(petition, 2, held_reason=HeldReason.SUBNET_RATE)
    count_new_confirmations()
    key = new_confirmation_key()
    make_signature(petition, confirmation_key=key, **pending())
    update = Update.objects.create(case=case, published_on=timezone.localdate(), title="News")
    mailing = start_mailing(update, acting_user=None)
    batch = Invalidation.objects.create(
        petition=petition, criteria={"country": "FR"}, reason="test", previewed_count=0
    )
    proposal = make_proposal(organisation, state=ProposalState.IN_MODERATION)
    make_staff(organisation, Role.ADMIN, username="ada")
    make_staff(organisation, Role.EDITOR, username="edith")
    return {
        "case": case, "petition": petition, "draft": draft, "token": token_for_key(key),
        "mailing": mailing, "batch": batch, "proposal": proposal, "update": update,
        "membership": Membership.objects.get(user__username="edith"),
    }  # fmt: skip


def test_the_walk_sees_a_violation_when_there_is_one(live_server: Any, page: Page) -> None:
    watcher = Watcher(page)
    watcher.visit(live_server.url, "/privacy/")
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color:red\">x</p>')")
    page.wait_for_timeout(200)
    assert page.evaluate("window.__cspViolations.length") >= 1


def test_no_public_page_breaks_the_content_security_policy(live_server: Any, page: Page, world):
    watcher = Watcher(page)
    p = world["petition"]
    for path in [
        "/", f"/cases/{world['case'].slug}/", f"/petitions/{p.slug}/",
        f"/petitions/{p.slug}/check-your-email/", f"/petitions/{p.slug}/thank-you/",
        f"/confirm/{world['token']}/", "/my-data/", "/my-data/check-your-email/",
        "/privacy/", "/proposals/new/", "/proposals/check-email/",
        f"/proposals/{world['proposal'].slug}/", "/no-such-page/", "/staff/login/",
    ]:  # fmt: skip
        watcher.visit(live_server.url, path)
    assert watcher.found == {}


def test_no_staff_or_admin_page_breaks_the_content_security_policy(
    live_server: Any, page: Page, world: dict[str, Any]
) -> None:
    watcher = Watcher(page)
    # Signing in walks the set-up page (QR code, passkey script) and the recovery codes.
    sign_in_in_browser(page, live_server.url, "ada")
    assert page.url == f"{live_server.url}/staff/", page.url
    assert watcher.console == []
    p, case = world["petition"].slug, world["case"].slug
    staff = [
        "/staff/", f"/staff/petitions/{p}/", f"/staff/petitions/{world['draft'].slug}/preview/",
        f"/staff/petitions/{p}/exports/", f"/staff/petitions/{p}/deliveries/",
        f"/staff/petitions/{p}/retention/", f"/staff/cases/{case}/updates/",
        f"/staff/cases/{case}/updates/new/", f"/staff/mailings/{world['mailing'].pk}/",
        f"/staff/petitions/{p}/fraud/", f"/staff/petitions/{p}/invalidations/",
        f"/staff/petitions/{p}/invalidations/new/", f"/staff/petitions/{p}/held/",
        "/staff/proposals/", f"/staff/proposals/{world['proposal'].slug}/",
        "/staff/audit-log/", "/staff/account/", "/staff/account/add-app/",
    ]  # fmt: skip
    admin = ["/admin/"]
    for model, pk in [
        ("campaigns/organisation", world["case"].organisation_id),
        ("campaigns/case", world["case"].pk),
        ("campaigns/update", world["update"].pk), ("campaigns/membership", world["membership"].pk),
        ("petitions/petition", world["petition"].pk),
        ("signatures/signature", world["petition"].signatures.first().pk),
    ]:  # fmt: skip
        admin += [f"/admin/{model}/", f"/admin/{model}/{pk}/change/"]
    admin += ["/admin/campaigns/case/add/", "/admin/petitions/petition/add/"]
    for path in staff + admin:
        watcher.visit(live_server.url, path)
    assert watcher.found == {}
