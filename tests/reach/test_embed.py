"""The embeddable widget and oEmbed: what partners' pages and CMSs get."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings

from tests.factories import make_petition, make_signatures, sign_form_data
from undersigned.petitions.models import TrackedLink
from undersigned.signatures.models import Signature
from undersigned.signatures.services import count_new_confirmations

pytestmark = pytest.mark.django_db


def embed_url(petition: Any, query: str = "") -> str:
    return f"/petitions/{petition.slug}/embed/" + (f"?{query}" if query else "")


def test_only_the_embed_may_be_framed_by_any_site(client: Any) -> None:
    petition = make_petition()
    embed = client.get(embed_url(petition))
    assert embed.status_code == 200
    assert "frame-ancestors *" in embed["Content-Security-Policy"]
    assert "X-Frame-Options" not in embed
    page = client.get(f"/petitions/{petition.slug}/")
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]
    assert page["X-Frame-Options"] == "DENY"


def test_the_embed_shows_the_count_and_a_sign_button_that_opens_a_new_tab(client: Any) -> None:
    petition = make_petition(goal=500)
    make_signatures(petition, 7)
    count_new_confirmations()
    html = client.get(embed_url(petition)).content.decode()
    assert 'aria-valuenow="7"' in html and 'aria-valuemax="500"' in html
    sign = f"{settings.SITE_URL}/petitions/{petition.slug}/?ref=embed"
    assert f'class="button button--primary button--block" href="{sign}" target="_blank"' in html
    assert "<form" not in html


def test_the_form_variant_signs_inside_the_frame_with_the_embed_source(client: Any) -> None:
    petition = make_petition()
    html = client.get(embed_url(petition, "form=1&theme=dark")).content.decode()
    action = re.search(r'<form class="sign-form" method="post" action="([^"]+)"', html)
    assert action
    target = action.group(1).replace("&amp;", "&")
    assert target == embed_url(petition, "lang=en&theme=dark&form=1")
    response = client.post(
        target,
        sign_form_data(source="newsletter", source_referrer="partner.example"),
        HTTP_ORIGIN="http://testserver",
    )
    assert response.status_code == 303
    assert response["Location"] == embed_url(petition, "lang=en&theme=dark&sent=1")
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    signature = Signature.objects.get(petition=petition)
    assert (signature.source, signature.referrer_host) == ("embed", "partner.example")
    done = client.get(response["Location"])
    assert "Check your email" in done.content.decode()
    assert "frame-ancestors *" in done["Content-Security-Policy"]


def test_a_form_with_errors_stays_in_the_frame(client: Any) -> None:
    petition = make_petition()
    response = client.post(embed_url(petition, "form=1"), sign_form_data(email="nope"))
    assert response.status_code == 422
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    assert 'class="error-summary"' in response.content.decode()
    assert Signature.objects.count() == 0


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("accent=1D70B8", 'data-accent="#1d70b8" data-accent-ink="#ffffff"'),
        ("accent=%23ffd23f", 'data-accent="#ffd23f" data-accent-ink="#000000"'),
        ("theme=dark", 'class="embed theme-dark"'),
        ("lang=de", '<html lang="de"'),
    ],
)
def test_valid_options_are_applied(client: Any, query: str, expected: str) -> None:
    petition = make_petition(languages=["en", "de"])
    assert expected in client.get(embed_url(petition, query)).content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "accent=red", "accent=%22%3E%3Cscript%3E", "accent=12345g", "theme=%3Cb%3Epink",
        "lang=xx%3Cscript%3E", "form=yes%22",
    ],
)  # fmt: skip
def test_a_bad_option_falls_back_to_the_default_without_echo(client: Any, query: str) -> None:
    petition = make_petition()
    response = client.get(embed_url(petition, query))
    assert response.status_code == 200
    html = response.content.decode()
    assert "data-accent" not in html and 'class="embed theme-light"' in html
    assert '<html lang="en"' in html
    for echo in ("script", "pink", "red", "12345g", "yes"):
        assert echo not in html.split("<body", 1)[1].split("<script", 1)[0]


def test_every_accent_shares_one_cached_page(client: Any, monkeypatch: Any) -> None:
    from undersigned.signatures import pages

    petition = make_petition()
    renders: list[str] = []
    real = pages.render_to_string

    def counting(template: str, *args: Any, **kwargs: Any) -> str:
        renders.append(template)
        return real(template, *args, **kwargs)

    monkeypatch.setattr(pages, "render_to_string", counting)
    blue = client.get(embed_url(petition, "form=1&accent=1d70b8")).content.decode()
    yellow = client.get(embed_url(petition, "form=1&accent=ffd23f")).content.decode()
    plain = client.get(embed_url(petition, "form=1")).content.decode()
    assert renders == ["reach/embed.html"]
    assert 'data-accent="#1d70b8"' in blue and "accent=1d70b8" in blue
    assert 'data-accent="#ffd23f"' in yellow and "1d70b8" not in yellow
    assert "data-accent" not in plain and "ACCENTSLOT" not in plain


def test_the_embed_is_served_from_the_cache(
    client: Any, django_assert_max_num_queries: Any
) -> None:
    petition = make_petition()
    client.get(embed_url(petition, "form=1"))
    with django_assert_max_num_queries(0):
        assert client.get(embed_url(petition, "form=1")).status_code == 200


def test_the_petition_page_links_to_its_oembed(client: Any) -> None:
    petition = make_petition()
    html = client.get(f"/petitions/{petition.slug}/").content.decode()
    canonical = quote(f"{settings.SITE_URL}/petitions/{petition.slug}/", safe="")
    assert (
        f'<link rel="alternate" type="application/json+oembed" '
        f'href="{settings.SITE_URL}/oembed?url={canonical}&amp;format=json"'
    ) in html


@pytest.mark.parametrize("path", ["/petitions/{slug}/", "/petitions/{slug}/embed/", "/p/flyer"])
def test_oembed_answers_a_rich_response_with_the_widget(client: Any, path: str) -> None:
    petition = make_petition(title_en='Free "the three" <now>')
    TrackedLink.objects.create(petition=petition, code="flyer")
    url = settings.SITE_URL + path.format(slug=petition.slug)
    response = client.get("/oembed", {"url": url, "format": "json"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert body["version"] == "1.0" and body["type"] == "rich"
    assert body["title"] == 'Free "the three" <now>'
    assert (body["width"], body["height"]) == (400, 420)
    assert body["html"].startswith(
        f'<iframe src="{settings.SITE_URL}/petitions/{petition.slug}/embed/" width="400"'
    )
    assert 'title="Free &quot;the three&quot; &lt;now&gt;"' in body["html"]


def test_oembed_keeps_within_maxwidth_and_maxheight(client: Any) -> None:
    petition = make_petition()
    url = f"{settings.SITE_URL}/petitions/{petition.slug}/"
    body = client.get("/oembed", {"url": url, "maxwidth": "300", "maxheight": "200"}).json()
    assert (body["width"], body["height"]) == (300, 200)
    for bad in ("0", "-5", "9" * 30, "abc", "4001"):
        body = client.get("/oembed", {"url": url, "maxwidth": bad, "maxheight": bad}).json()
        assert (body["width"], body["height"]) == (400, 420)


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/petitions/{slug}/", "{site}/petitions/no-such-petition/",
        "{site}/petitions/{draft}/", "{site}/privacy/", "{site}/p/nope", "", "javascript:alert(1)",
    ],
)  # fmt: skip
def test_oembed_for_a_foreign_host_or_unknown_petition_is_not_found(client: Any, url: str) -> None:
    petition = make_petition()
    draft = make_petition(status="draft")
    url = url.format(site=settings.SITE_URL, slug=petition.slug, draft=draft.slug)
    assert client.get("/oembed", {"url": url}).status_code == 404


def test_oembed_in_another_format_is_not_implemented(client: Any) -> None:
    petition = make_petition()
    url = f"{settings.SITE_URL}/petitions/{petition.slug}/"
    assert client.get("/oembed", {"url": url, "format": "xml"}).status_code == 501


def test_the_partners_script_is_served_at_a_stable_address(client: Any) -> None:
    response = client.get("/embed.js")
    assert response["Content-Type"].startswith("text/javascript")
    assert b"undersigned:embed-height" in response.content
    assert b"event.origin === known.origin" in response.content
