"""Campaigners make short tracked links; a link sends people on with its code as the source."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings

from tests.factories import make_case, make_organisation, make_petition, make_staff, sign_form_data
from tests.sign_in import sign_in
from undersigned.audit.models import AuditAction, AuditLogEntry
from undersigned.campaigns.models import Role
from undersigned.petitions.models import TrackedLink
from undersigned.signatures.models import Signature

pytestmark = pytest.mark.django_db


@pytest.fixture
def petition() -> Any:
    return make_petition(case=make_case(organisation=make_organisation()))


def page(petition: Any) -> str:
    return f"/staff/petitions/{petition.slug}/reach/"


def test_an_editor_adds_a_tracked_link_and_its_use_is_audited(client: Any, petition: Any) -> None:
    editor = make_staff(petition.case.organisation, Role.EDITOR)
    sign_in(client, editor)
    response = client.post(page(petition), {"code": "street-team", "label": "Flyers"})
    assert response.status_code == 303
    link = TrackedLink.objects.get(code="street-team")
    assert (link.petition, link.label, link.created_by) == (petition, "Flyers", editor)
    entry = AuditLogEntry.objects.get(action=AuditAction.TRACKED_LINK_CREATED)
    assert entry.petition_id == petition.pk and entry.detail == "/p/street-team"
    html = client.get(page(petition)).content.decode()
    assert f"<code>{settings.SITE_URL}/p/street-team</code>" in html


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "Enter a code for the link."),
        ("Street Team", "Use lower-case letters, digits and hyphens only"),
        ("-x", "Use lower-case letters, digits and hyphens only"),
        ("x" * 33, "Keep the code to 32 characters or fewer."),
        ("embed", "kept for the site&#x27;s own use"),
        ("taken", "A link with this code exists already"),
    ],
)
def test_a_bad_code_is_refused_with_a_message(
    client: Any, petition: Any, code: str, message: str
) -> None:
    TrackedLink.objects.create(petition=make_petition(), code="taken")
    sign_in(client, make_staff(petition.case.organisation, Role.EDITOR))
    response = client.post(page(petition), {"code": code})
    assert response.status_code == 422
    html = response.content.decode()
    assert 'class="error-summary"' in html and message in html
    assert TrackedLink.objects.filter(petition=petition).count() == 0


def test_an_analyst_sees_the_links_but_no_form(client: Any, petition: Any) -> None:
    TrackedLink.objects.create(petition=petition, code="newsletter")
    sign_in(client, make_staff(petition.case.organisation, Role.ANALYST))
    html = client.get(page(petition)).content.decode()
    assert "/p/newsletter" in html
    assert "Add a tracked link" not in html


def test_a_tracked_link_leads_to_the_petition_and_its_signatures_carry_the_code(
    client: Any, petition: Any
) -> None:
    TrackedLink.objects.create(petition=petition, code="street-team")
    response = client.get("/p/street-team")
    assert response.status_code == 302
    assert response["Location"] == f"/petitions/{petition.slug}/?ref=street-team"
    html = client.get(response["Location"]).content.decode()
    assert '<input type="hidden" name="source" value="street-team">' in html
    client.post(f"/petitions/{petition.slug}/sign/", sign_form_data(source="street-team"))
    assert Signature.objects.get(petition=petition).source == "street-team"


@pytest.mark.parametrize("code", ["nope", "draft-link"])
def test_an_unknown_link_or_one_to_a_draft_is_not_found(client: Any, code: str) -> None:
    TrackedLink.objects.create(petition=make_petition(status="draft"), code="draft-link")
    assert client.get(f"/p/{code}").status_code == 404


def test_the_reach_page_offers_the_embed_snippets_with_a_preview(client: Any) -> None:
    petition = make_petition(
        case=make_case(organisation=make_organisation()),
        title_en='Free "the three" </textarea><script>alert(1)</script>',
    )
    sign_in(client, make_staff(petition.case.organisation, Role.ANALYST))
    html = client.get(page(petition)).content.decode()
    embed = f"{settings.SITE_URL}/petitions/{petition.slug}/embed/"
    assert f"&lt;div data-undersigned-embed=&quot;{embed}?form=1&quot;" in html
    assert f"&lt;script src=&quot;{settings.SITE_URL}/embed.js&quot; async&gt;" in html
    assert f"&lt;iframe src=&quot;{embed}&quot;" in html
    assert f'<iframe class="embed-preview" src="/petitions/{petition.slug}/embed/?form=1"' in html
    # The hostile title is text in the snippet, escaped for the partner's page as well.
    assert "<script>alert" not in html and "</textarea><script>" not in html
    assert (
        "data-undersigned-title=&quot;Free &amp;quot;the three&amp;quot; &amp;lt;/textarea" in html
    )
