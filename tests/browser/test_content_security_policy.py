"""In Chromium: every public page, every staff page and every Django admin page, under the
Content Security Policy the server sends, raise no violation — no inline script or style, no
resource from elsewhere. Violations are caught both as console messages and as
`securitypolicyviolation` events.

"Every" is checked, not promised: each route of the URLconf is walked here or listed in
NOT_PAGES with the reason, so a new page fails `test_the_walk_knows_every_page` until it is
walked; the admin's pages are found from its registry (a list, an add and a change page of
each model).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.test import RequestFactory
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.passkeys import virtual_authenticator
from tests.debates.helpers import add as add_argument
from tests.debates.helpers import make_debate
from tests.debates.helpers import submit as submit_argument
from tests.factories import (
    make_case,
    make_organisation,
    make_petition,
    make_signature,
    make_signatures,
    make_staff,
    pending,
)
from tests.privacy.my_data_helpers import LINK
from tests.proposals.helpers import make_proposal
from tests.routes import every_route
from tests.sign_in import code_from_secret
from undersigned.campaigns.models import Role, Update
from undersigned.core.linktoken import Kind, new_key, token_for
from undersigned.debates.models import Argument
from undersigned.debates.states import ArgumentState
from undersigned.mailings.services import start_mailing
from undersigned.notifications.models import OutboxEmail
from undersigned.paper import services as paper_services
from undersigned.petitions.models import Milestone, Outcome, PetitionStatus
from undersigned.petitions.outcomes import change_outcome, record_response
from undersigned.privacy.models import DataRequest
from undersigned.privacy.my_data.services import LINK_LIFETIME, new_link_key
from undersigned.proposals.models import Sponsor
from undersigned.proposals.states import ProposalState
from undersigned.signatures.models import HeldReason, Invalidation
from undersigned.signatures.services import count_new_confirmations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${where}`);
});
"""

# Public pages: route → the path walked ({…} filled from the world below).
PUBLIC_PAGES = {
    "/": "/",
    "/cases/<slug:slug>/": "/cases/{case}/",
    "/petitions/<slug:slug>/": "/petitions/{petition}/",
    "/petitions/<slug:slug>/check-your-email/": "/petitions/{petition}/check-your-email/",
    "/petitions/<slug:slug>/thank-you/": "/petitions/{petition}/thank-you/",
    "/confirm/<str:token>/": "/confirm/{confirm_token}/",
    "/unsubscribe/<str:token>/": "/unsubscribe/{unsubscribe_token}/",
    "/my-data/": "/my-data/",
    "/my-data/check-your-email/": "/my-data/check-your-email/",
    "/my-data/link/<str:token>/": "{my_data_link}",
    "/my-data/you/": "/my-data/you/",  # with the session the link's button opened
    "/my-data/you/erase/": "/my-data/you/erase/",
    "/my-data/erased/": "/my-data/erased/",
    "/privacy/": "/privacy/",
    "/proposals/new/": "/proposals/new/",
    "/proposals/check-email/": "/proposals/check-email/",
    "/proposals/<str:slug>/": "/proposals/{proposal}/",
    "/proposals/confirm/<str:token>/": "/proposals/confirm/{creator_token}/",
    "/proposals/sponsor/confirm/<str:token>/": "/proposals/sponsor/confirm/{sponsor_token}/",
    "/cases/<slug:case>/debates/<slug:slug>/": "/cases/{case}/debates/{debate}/",
    "/cases/<slug:case>/debates/<slug:slug>/contribute/": (
        "/cases/{case}/debates/{debate}/contribute/"
    ),
    "/debates/check-email/": "/debates/check-email/",
    "/debates/confirm/<str:token>/": "/debates/confirm/{contribution_token}/",
    "/dev/outbox/": "/dev/outbox/",
    "/dev/outbox/<int:pk>/": "/dev/outbox/{outbox_email}/",
    "/staff/login/": "/staff/login/",
    "/log/<slug:slug>/verify": "/log/{petition}/verify",
}
# Staff pages reached by a plain GET once signed in.
STAFF_PAGES = {
    "/staff/": "/staff/",
    "/staff/petitions/<slug:slug>/": "/staff/petitions/{petition}/",
    "/staff/petitions/<slug:slug>/preview/": "/staff/petitions/{draft}/preview/",
    "/staff/petitions/<slug:slug>/exports/": "/staff/petitions/{petition}/exports/",
    "/staff/petitions/<slug:slug>/deliveries/": "/staff/petitions/{petition}/deliveries/",
    "/staff/petitions/<slug:slug>/outcome/": "/staff/petitions/{petition}/outcome/",
    "/staff/petitions/<slug:slug>/milestones/<int:milestone_id>/": (
        "/staff/petitions/{petition}/milestones/{milestone}/"
    ),
    "/staff/petitions/<slug:slug>/retention/": "/staff/petitions/{petition}/retention/",
    "/staff/cases/<slug:slug>/updates/": "/staff/cases/{case}/updates/",
    "/staff/cases/<slug:slug>/updates/new/": "/staff/cases/{case}/updates/new/",
    "/staff/mailings/<int:mailing_id>/": "/staff/mailings/{mailing}/",
    "/staff/petitions/<slug:slug>/fraud/": "/staff/petitions/{petition}/fraud/",
    "/staff/petitions/<slug:slug>/invalidations/": "/staff/petitions/{petition}/invalidations/",
    "/staff/petitions/<slug:slug>/invalidations/new/": (
        "/staff/petitions/{petition}/invalidations/new/"
    ),
    "/staff/petitions/<slug:slug>/held/": "/staff/petitions/{petition}/held/",
    "/staff/proposals/": "/staff/proposals/",
    "/staff/proposals/<str:slug>/": "/staff/proposals/{proposal}/",
    "/staff/debates/": "/staff/debates/",
    "/staff/debates/arguments/<int:argument_id>/": "/staff/debates/arguments/{argument}/",
    "/staff/debates/<int:debate_id>/close/": "/staff/debates/{debate_id}/close/",
    "/staff/audit-log/": "/staff/audit-log/",
    "/staff/petitions/<slug:slug>/reach/": "/staff/petitions/{petition}/reach/",
    "/staff/paper/<slug:slug>/": "/staff/paper/{petition}/",
    "/staff/paper/<slug:slug>/<int:pk>/": "/staff/paper/{petition}/{paper_batch}/",  # a preview
    "/staff/account/": "/staff/account/",
    "/staff/account/add-app/": "/staff/account/add-app/",
}
# Pages of signing in, walked as a person goes through them (by app and by passkey).
SIGN_IN_PAGES = {
    "/staff/sign-in/set-up/",
    "/staff/account/recovery-codes/",  # the page its POST answers with
    "/staff/sign-in/second-factor/",
}
NOT_PAGES = {
    # Answers that are not HTML: JSON, CSV, PDF, JavaScript, plain text.
    "/petitions/<slug:slug>/count.json": "JSON",
    "/proof-of-work/challenge.json": "JSON",
    "/my-data/you/my-data.json": "JSON",
    "/healthz": "JSON",
    "/metrics": "plain text (Prometheus), 404 unless configured",
    "/api/v1/": "JSON API",
    "/api/v1/openapi.json": "JSON",
    "/api/v1/petitions/": "JSON",
    "/api/v1/petitions/<slug>/": "JSON",
    "/api/v1/petitions/trending/": "JSON",
    "/api/v1/petitions/<slug>/history/": "JSON",
    "/api/v1/cases/<case>/debates/<slug>/": "JSON",
    "/staff/petitions/<slug:slug>/export/signatures.csv": "CSV",
    "/staff/petitions/<slug:slug>/export/countries-by-day.csv": "CSV",
    "/staff/petitions/<slug:slug>/delivery.pdf": "PDF",
    "/staff/petitions/<slug:slug>/poster.pdf": "PDF",
    "/staff/petitions/<slug:slug>/signature-sheet.pdf": "PDF",
    "/petitions/<slug:slug>/qr.<str:kind>": "image",
    "/staff/mailings/<int:mailing_id>/progress.json": "JSON",
    "/staff/sign-in/passkey/jsi18n/": "JavaScript",
    "/petitions/<slug:slug>/card/<str:language>/<int:bucket>.png": "image",
    r"/^media/(?P<folder>[a-z]+)/(?P<name>[A-Za-z0-9_-][A-Za-z0-9._-]{0,150})$": "image",
    "/log/<slug:slug>/": "plain text (the transparency log)",
    "/log/<slug:slug>/checkpoint": "plain text (the transparency log)",
    "/log/<slug:slug>/checkpoint/<int:size>": "plain text (the transparency log)",
    "/log/<slug:slug>/tile/<path:path>": "binary (the transparency log)",
    "/log/<slug:slug>/leaf/<hex:leaf_hash>": "JSON",
    "/.well-known/undersigned-log-key": "JSON",
    # POST only: each answers with a redirect to a page walked above, or JSON.
    "/petitions/<slug:slug>/sign/": "POST",
    "/oembed": "JSON",
    "/embed.js": "JavaScript",
    # Framed by any site (frame-ancestors *), so not the walk's policy: its Chromium test
    # (tests/reach/test_embed_in_a_browser.py) watches it for violations inside the frame.
    "/petitions/<slug:slug>/embed/": "the embed",
    "/p/<slug:code>": "redirect to the petition page",
    "/language/": "POST",
    "/proposals/<str:slug>/sponsor/": "POST",
    "/cases/<slug:case>/debates/<slug:slug>/arguments/<int:argument_id>/convinced/": "POST",
    "/cases/<slug:case>/debates/<slug:slug>/stance/": "POST",
    "/my-data/you/withdraw/": "POST",
    "/my-data/you/unsubscribe/": "POST",
    "/my-data/sign-out/": "POST",
    "/staff/logout/": "POST",
    "/staff/account/sessions/<int:session_id>/end/": "POST",
    "/staff/petitions/<slug:slug>/invalidations/<int:pk>/revert/": "POST",
    "/staff/paper/<slug:slug>/goal/": "POST",
    "/staff/paper/<slug:slug>/<int:pk>/apply/": "POST",
    "/staff/paper/<slug:slug>/<int:pk>/revert/": "POST",
    "/staff/petitions/<slug:slug>/milestones/": "POST",
    "/staff/petitions/<slug:slug>/milestones/<int:milestone_id>/remove/": "POST",
    "/staff/petitions/<slug:slug>/milestones/<int:milestone_id>/email/": "POST",
    "/staff/petitions/<slug:slug>/response/": "POST",
    "/staff/petitions/<slug:slug>/outcome/change/": "POST",
    "/staff/petitions/<slug:slug>/outcome/<int:change_id>/email/": "POST",
    "/staff/sign-in/passkey/registration/begin/": "POST, JSON",
    "/staff/sign-in/passkey/registration/complete/": "POST, JSON",
    "/staff/sign-in/passkey/authentication/begin/": "POST, JSON",
    "/staff/sign-in/passkey/authentication/complete/": "POST, JSON",
}


def site_routes() -> Iterator[str]:
    return (route for route in every_route() if route != "/admin/")


class Watcher:
    """Collects the violations of each page it is told about."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.found: dict[str, list[str]] = {}
        self.checked: set[str] = set()
        self.console: list[str] = []
        page.add_init_script(LISTEN)
        page.on("console", self._console)

    def _console(self, message: Any) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.console.append(message.text)

    def visit(self, base_url: str, path: str, route: str) -> None:
        response = self.page.goto(f"{base_url}{path}")
        assert response is not None
        policy = response.headers.get("content-security-policy", "")
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy, path
        self.check(route)

    def check(self, route: str) -> None:
        """The page the browser shows now, reached however."""
        self.page.wait_for_load_state("networkidle")
        events = self.page.evaluate("window.__cspViolations || []")
        if events or self.console:
            self.found[f"{route} ({self.page.url})"] = [*events, *self.console]
        self.console = []
        self.checked.add(route)


def _my_data_link(email: str) -> str:
    """A usable "manage my data" link, as the worker would have emailed it."""
    token, key_hash = new_link_key()
    DataRequest.objects.create(
        email=email, email_normalised=email, email_due=False, key_hash=key_hash,
        link_expires_at=timezone.now() + LINK_LIFETIME,
    )  # fmt: skip
    link = f"/my-data/link/{token}/"
    assert LINK.search(f"http://x{link}")
    return link


@pytest.fixture
def world(settings: Any) -> dict[str, Any]:
    organisation = make_organisation(name="Riverside Watch")
    settings.PUBLIC_PETITIONS = True
    settings.PUBLIC_PETITIONS_ORGANISATION = organisation.slug
    settings.PROOF_OF_WORK = True
    settings.DEV_OUTBOX = True
    case = make_case(organisation=organisation, slug="riverside-three", is_published=True)
    petition = make_petition(case=case, slug="free-the-three", goal=100)
    draft = make_petition(case=case, slug="a-draft", status=PetitionStatus.DRAFT)
    make_signatures(petition, 12)
    make_signatures(petition, 2, held_reason=HeldReason.SUBNET_RATE)
    signer = make_signature(petition, email="ada@example.org")
    # The petition page with its milestones, the response, a victory and the sparkline.
    milestone = Milestone.objects.create(petition=petition, count=5, note_en="Handed over at 5")
    Milestone.objects.create(petition=petition, count=50)
    count_new_confirmations()
    record_response(
        petition, responded_on=timezone.localdate(), bodies={"en": "We **agree**."},
        link="https://gov.example/answer", acting_user=None,
    )  # fmt: skip
    change_outcome(petition, Outcome.WON, acting_user=None)
    key = new_key()
    make_signature(petition, confirmation_key=key, **pending())
    update = Update.objects.create(case=case, published_on=timezone.localdate(), title="News")
    mailing = start_mailing(update, acting_user=None)
    Invalidation.objects.create(
        petition=petition, criteria={"country": "FR"}, reason="test", previewed_count=0
    )
    proposal = make_proposal(organisation, state=ProposalState.IN_MODERATION)
    gathering = make_proposal(organisation, state=ProposalState.GATHERING)
    sponsor = Sponsor.objects.create(
        proposal=gathering, name="Sam Sponsor", email="sam@example.org",
        email_normalised="sam@example.org", confirmation_key=new_key(),
        confirmation_expires_at=timezone.now() + timedelta(days=1),
    )  # fmt: skip
    unconfirmed = make_proposal(organisation, state=ProposalState.UNCONFIRMED)
    outbox_email = OutboxEmail.objects.create(
        to="ada@example.org", subject="Please confirm", body_text="https://x.example/confirm/"
    )
    debate = make_debate(case=case, slug="the-question")
    argument = add_argument(debate, "for", claim="A sourced claim")
    add_argument(debate, "against", claim="A rebuttal", replies_to=argument)
    contribution = submit_argument(debate, email="rita@example.org")
    waiting = submit_argument(debate, email="sam@example.org", claim="Waiting for moderation")
    Argument.objects.filter(pk=waiting.pk).update(state=ArgumentState.CONFIRMED)
    sheet = b"name,email,country\nAda,ada@example.org,DE\nBob,,FR\n=1,,DE\n"
    paper_batch = paper_services.preview_import(
        petition, io.BytesIO(sheet), len(sheet), sheet_reference="Stall", acting_user=None
    )
    make_staff(organisation, Role.ADMIN, username="ada")
    make_staff(organisation, Role.DATA_OFFICER, username="dora")
    User.objects.create_superuser("operator", password="a-long-test-password")
    return {
        "case": case.slug, "petition": petition.slug, "draft": draft.slug,
        "confirm_token": token_for(Kind.SIGNATURE_CONFIRMATION, key),
        "unsubscribe_token": token_for(Kind.UNSUBSCRIBE, signer.confirmation_key),
        "my_data_link": _my_data_link("ada@example.org"), "mailing": mailing.pk,
        "proposal": proposal.slug,
        "creator_token": token_for(
            Kind.PROPOSAL_CREATOR, unconfirmed.confirmation_key
        ),
        "sponsor_token": token_for(
            Kind.PROPOSAL_SPONSOR, sponsor.confirmation_key
        ),
        "outbox_email": outbox_email.pk, "milestone": milestone.pk,
        "debate": debate.slug, "debate_id": debate.pk,
        "argument": waiting.pk, "paper_batch": paper_batch.pk,
        "contribution_token": token_for(
            Kind.DEBATE_CONTRIBUTION, contribution.confirmation_key or ""
        ),
    }  # fmt: skip


def test_the_walk_knows_every_page() -> None:
    known = set(PUBLIC_PAGES) | set(STAFF_PAGES) | SIGN_IN_PAGES | set(NOT_PAGES)
    routes = {route for route in site_routes() if not route.startswith("/admin/")}
    assert routes - known == set(), "walk these pages too, or say in NOT_PAGES why not"
    assert known - routes == set(), "these routes are gone: take them out of the walk"


def test_the_walk_sees_a_violation_when_there_is_one(live_server: Any, page: Page) -> None:
    watcher = Watcher(page)
    watcher.visit(live_server.url, "/privacy/", "/privacy/")
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color:red\">x</p>')")
    page.wait_for_timeout(200)
    assert page.evaluate("window.__cspViolations.length") >= 1


def test_no_public_page_breaks_the_content_security_policy(live_server: Any, page: Page, world):
    watcher = Watcher(page)
    for route, path in PUBLIC_PAGES.items():
        if route == "/my-data/you/":  # the link's button opens the signer's session
            with page.expect_navigation():
                page.get_by_role("button", name="Show my data").click()
            expect(page.get_by_role("heading", name="Your data", exact=True)).to_be_visible()
            watcher.check(route)
            continue
        if route == "/my-data/erased/":
            page.get_by_label("I understand that this deletes all my signatures").check()
            with page.expect_navigation():
                page.get_by_role("button", name="Erase everything").click()
            watcher.check(route)
            continue
        watcher.visit(live_server.url, path.format(**world), route)
    watcher.visit(live_server.url, "/no-such-page/", "a missing page")
    assert watcher.found == {}
    assert watcher.checked >= set(PUBLIC_PAGES)


def test_no_staff_page_breaks_the_content_security_policy(
    live_server: Any, page: Page, world: dict[str, Any]
) -> None:
    watcher = Watcher(page)
    # Signing in walks the set-up page (QR code, passkey script) and the recovery codes.
    secret = _sign_in_and_check(page, watcher, live_server.url, "ada")
    assert page.url == f"{live_server.url}/staff/", page.url
    for route, path in STAFF_PAGES.items():
        watcher.visit(live_server.url, path.format(**world), route)
    # Signing in again: the second step with the app.
    page.goto(f"{live_server.url}/staff/")
    page.get_by_role("button", name="Sign out").click()
    _sign_in_and_check(page, watcher, live_server.url, "ada", secret)
    assert page.url == f"{live_server.url}/staff/", page.url
    assert watcher.found == {}
    assert watcher.checked >= set(STAFF_PAGES) | SIGN_IN_PAGES


def test_the_passkey_pages_break_no_content_security_policy(
    page: Page, passkeys_here: str, world: dict[str, Any]
) -> None:
    virtual_authenticator(page)
    watcher = Watcher(page)
    _type_password(page, passkeys_here, "dora")
    watcher.check("/staff/sign-in/set-up/")
    page.get_by_role("button", name="Add a passkey").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    watcher.check("/staff/account/recovery-codes/")
    page.get_by_role("link", name="I have kept them, continue").click()
    page.get_by_role("button", name="Sign out").click()
    _type_password(page, passkeys_here, "dora")
    expect(page.get_by_role("button", name="Use my passkey")).to_be_visible()
    watcher.check("/staff/sign-in/second-factor/")
    page.get_by_role("button", name="Use my passkey").click()
    expect(page).to_have_url(f"{passkeys_here}/staff/")
    watcher.check("/staff/")
    assert watcher.found == {}


def test_no_admin_page_breaks_the_content_security_policy(
    live_server: Any, page: Page, world: dict[str, Any]
) -> None:
    watcher = Watcher(page)
    _sign_in_and_check(page, watcher, live_server.url, "operator")
    request = RequestFactory().get("/admin/")
    request.user = User.objects.get(username="operator")
    walked = 0
    watcher.visit(live_server.url, "/admin/", "/admin/")
    for model, model_admin in admin.site._registry.items():
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        watcher.visit(live_server.url, base, base)
        if model_admin.has_add_permission(request):
            watcher.visit(live_server.url, f"{base}add/", f"{base}add/")
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            watcher.visit(live_server.url, f"{base}{first.pk}/change/", f"{base}…/change/")
        walked += 1
    assert walked == len(admin.site._registry) >= 10
    assert watcher.found == {}


def _type_password(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/staff/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def _sign_in_and_check(
    page: Page, watcher: Watcher, base_url: str, username: str, secret: str | None = None
) -> str:
    """Sign in as tests/sign_in.py: sign_in_in_browser does, checking each page on the way."""
    _type_password(page, base_url, username)
    if secret is None:
        expect(page).to_have_url(f"{base_url}/staff/sign-in/set-up/?next=%2Fstaff%2F")
        watcher.check("/staff/sign-in/set-up/")
        secret = page.locator("[data-totp-secret]").inner_text()
        page.get_by_label("Code").fill(code_from_secret(secret))
        page.get_by_role("button", name="Turn on the app").click()
        expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
        watcher.check("/staff/account/recovery-codes/")
        page.get_by_role("link", name="I have kept them, continue").click()
    else:
        expect(page).to_have_url(f"{base_url}/staff/sign-in/second-factor/?next=%2Fstaff%2F")
        watcher.check("/staff/sign-in/second-factor/")
        page.get_by_label("Code").fill(code_from_secret(secret, offset_steps=1))
        page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    return secret
