"""Where signatures come from: the source travels from the petition URL through the form."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.factories import make_petition, sign_form_data
from undersigned.petitions.models import TrackedLink
from undersigned.signatures.models import Signature
from undersigned.signatures.sources import clean_host, clean_value

pytestmark = pytest.mark.django_db

HIDDEN = re.compile(r'<input type="hidden" name="(source[a-z_]*)" value="([^"]*)"')


def hidden_fields(client: Any, url: str) -> dict[str, str]:
    html = client.get(url).content.decode()
    return {name: value for name, value in HIDDEN.findall(html)}


def sign(client: Any, petition: Any, **fields: str) -> Signature:
    response = client.post(f"/petitions/{petition.slug}/sign/", sign_form_data(**fields))
    assert response.status_code == 303
    return Signature.objects.get(petition=petition)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("", ""), (None, ""), ("Newsletter", "newsletter"), ("mastodon.social", "mastodon.social"),
        ("a" * 40, "a" * 40), ("a" * 41, "other"), ("<script>", "other"),
        ("jane@example.org", "other"), ("ü", "other"), ("-x", "other"),
    ],
)  # fmt: skip
def test_a_source_value_is_a_short_plain_word_or_other(raw: str | None, clean: str) -> None:
    assert clean_value(raw) == clean


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("t.co", "t.co"), ("News.Example.ORG", "news.example.org"), ("localhost", ""),
        ("https://t.co/abc", ""), ("192.168.1.20", ""), ("a" * 64 + ".org", ""), ("", ""),
    ],
)  # fmt: skip
def test_a_referring_site_is_a_host_name_only(raw: str, clean: str) -> None:
    assert clean_host(raw) == clean


def test_utm_parameters_go_into_the_sign_form_and_onto_the_signature(client: Any) -> None:
    petition = make_petition()
    url = f"/petitions/{petition.slug}/?utm_source=Newsletter&utm_medium=email&utm_campaign=dec"
    fields = hidden_fields(client, url)
    assert fields == {
        "source": "newsletter", "source_medium": "email", "source_campaign": "dec",
        "source_referrer": "",
    }  # fmt: skip
    signature = sign(client, petition, **{**fields, "source_referrer": "t.co"})
    assert (signature.source, signature.source_medium, signature.source_campaign) == (
        "newsletter", "email", "dec",
    )  # fmt: skip
    assert signature.referrer_host == "t.co"


def test_the_cached_page_does_not_keep_one_visitors_source(client: Any) -> None:
    petition = make_petition()
    assert hidden_fields(client, f"/petitions/{petition.slug}/?utm_source=flyer")["source"]
    assert hidden_fields(client, f"/petitions/{petition.slug}/") == {"source_referrer": ""}


def test_a_tracked_links_code_is_the_source(client: Any) -> None:
    petition = make_petition()
    TrackedLink.objects.create(petition=petition, code="street-team")
    fields = hidden_fields(client, f"/petitions/{petition.slug}/?ref=street-team&utm_source=x")
    assert fields["source"] == "street-team"
    assert sign(client, petition, **fields).source == "street-team"


def test_an_unknown_ref_is_kept_as_other(client: Any) -> None:
    petition = make_petition()
    TrackedLink.objects.create(petition=make_petition(), code="elsewhere")
    fields = hidden_fields(client, f"/petitions/{petition.slug}/?ref=elsewhere")
    assert fields["source"] == "other"


def test_a_hostile_source_is_neither_reflected_nor_an_error(client: Any) -> None:
    petition = make_petition()
    hostile = '"><script>alert(1)</script>'
    response = client.get(f"/petitions/{petition.slug}/", {"utm_source": hostile, "ref": hostile})
    assert response.status_code == 200
    html = response.content.decode()
    assert "alert(1)" not in html and "&lt;script" not in html
    assert hidden_fields(client, f"/petitions/{petition.slug}/?utm_source=%3Cb%3E")["source"] == (
        "other"
    )


def test_a_tampered_form_field_is_cleaned_again_when_signing(client: Any) -> None:
    petition = make_petition()
    signature = sign(
        client, petition, source="jane@example.org", source_medium="x" * 500,
        source_referrer="https://evil.example/path?email=jane@example.org",
    )  # fmt: skip
    assert (signature.source, signature.source_medium, signature.referrer_host) == (
        "other", "other", "",
    )  # fmt: skip


def test_a_form_with_errors_keeps_the_source(client: Any) -> None:
    petition = make_petition()
    data = sign_form_data(email="not-an-email", source="flyer", source_referrer="t.co")
    response = client.post(f"/petitions/{petition.slug}/sign/", data)
    assert response.status_code == 422
    fields = {name: value for name, value in HIDDEN.findall(response.content.decode())}
    assert fields == {"source": "flyer", "source_referrer": "t.co"}


def test_signing_without_a_source_stores_none(client: Any) -> None:
    petition = make_petition()
    signature = sign(client, petition)
    assert (signature.source, signature.referrer_host) == ("", "")
