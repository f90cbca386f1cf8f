"""Share cards: the tags a shared link shows, and the image whose URL follows the count."""

from __future__ import annotations

import io
from html.parser import HTMLParser
from typing import Any

import pytest
from django.core.cache import cache
from PIL import Image

from tests.factories import make_case, make_petition, make_signatures, sign_form_data
from undersigned.reach import share_card
from undersigned.signatures.selectors import two_significant_figures
from undersigned.signatures.services import count_new_confirmations

pytestmark = pytest.mark.django_db

HOSTILE = '"><script>alert(1)</script><meta property="og:title" content="pwned'


class Tags(HTMLParser):
    """The <meta property|name=…> and <link rel=canonical> of a page, as a browser reads them."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.scripts = 0
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "script" and not found.get("src"):
            self.scripts += 1
        key = found.get("property") or found.get("name") or ""
        if tag == "meta" and key:
            self.meta.setdefault(key, []).append(found.get("content") or "")
        if tag == "link" and found.get("rel") == "canonical":
            self.meta.setdefault("canonical", []).append(found.get("href") or "")


def tags_of(client: Any, url: str, **headers: Any) -> Tags:
    response = client.get(url, **headers)
    assert response.status_code == 200
    return Tags(response.content.decode())


def fresh_count(petition: Any) -> None:
    count_new_confirmations()
    cache.delete(f"petition-count:{petition.pk}")  # as when the 2-second count cache expires


@pytest.fixture
def draws(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """Every time a card is drawn: (language, bucket)."""
    calls: list[tuple[str, int]] = []
    real = share_card.render_share_card

    def counting(petition: Any, language: str, bucket: int) -> bytes:
        calls.append((language, bucket))
        return real(petition, language, bucket)

    monkeypatch.setattr(share_card, "render_share_card", counting)
    return calls


@pytest.mark.parametrize(
    ("count", "bucket"), [(0, 0), (7, 7), (99, 99), (100, 100), (1234, 1200), (98_765, 98_000)]
)
def test_the_count_is_bucketed_to_two_significant_figures(count: int, bucket: int) -> None:
    assert two_significant_figures(count) == bucket


def test_the_petition_page_carries_open_graph_and_twitter_tags(client: Any, settings: Any) -> None:
    settings.SITE_URL = "https://petitions.example.org"
    petition = make_petition(
        title_en="Free the three", target_en="The Minister", languages=["en", "de"]
    )
    tags = tags_of(client, f"/petitions/{petition.slug}/").meta
    canonical = f"https://petitions.example.org/petitions/{petition.slug}/"
    assert tags["og:title"] == ["Free the three"]
    assert tags["twitter:title"] == ["Free the three"]
    assert "The Minister" in tags["og:description"][0]
    assert tags["canonical"] == [canonical] and tags["og:url"] == [canonical]
    assert tags["og:locale"] == ["en_GB"]
    assert tags["og:locale:alternate"] == ["de_DE"]
    assert tags["twitter:card"] == ["summary_large_image"]
    image = f"https://petitions.example.org/petitions/{petition.slug}/card/en/0.png"
    assert tags["og:image"] == [image] and tags["twitter:image"] == [image]
    assert tags["og:image:width"] == ["1200"] and tags["og:image:height"] == ["630"]


def test_the_case_page_carries_the_tags_with_its_petitions_card(client: Any) -> None:
    petition = make_petition(case=make_case(title_en="The Riverside Three", summary_en="Jailed."))
    tags = tags_of(client, f"/cases/{petition.case.slug}/").meta
    assert tags["og:title"] == ["The Riverside Three"]
    assert tags["og:description"] == ["Jailed."]
    assert tags["og:type"] == ["article"]
    assert tags["og:image"][0].endswith(f"/petitions/{petition.slug}/card/en/0.png")


def test_a_hostile_title_stays_text_in_the_tags(client: Any) -> None:
    petition = make_petition(title_en=HOSTILE)
    plain = tags_of(client, f"/petitions/{petition.slug}/")
    assert plain.meta["og:title"] == [HOSTILE]
    assert plain.meta["twitter:title"] == [HOSTILE]
    assert plain.scripts == 0
    assert "pwned" not in "".join(plain.meta.get("og:description", []))


def test_a_german_page_names_the_german_card(client: Any) -> None:
    petition = make_petition(languages=["en", "de"])
    tags = tags_of(client, f"/petitions/{petition.slug}/", HTTP_ACCEPT_LANGUAGE="de").meta
    assert tags["og:image"][0].endswith("/card/de/0.png")
    assert tags["og:locale"] == ["de_DE"]


def test_the_card_is_a_1200_by_630_png(client: Any) -> None:
    petition = make_petition(title_en=(HOSTILE * 4)[:200])  # the longest title, wrapped
    response = client.get(f"/petitions/{petition.slug}/card/en/0.png")
    assert response["Content-Type"] == "image/png"
    assert "public" in response["Cache-Control"]
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG" and image.size == (1200, 630)


def test_the_page_and_sign_requests_never_draw_the_card(
    client: Any, draws: list[tuple[str, int]]
) -> None:
    petition = make_petition()
    make_signatures(petition, 3)
    fresh_count(petition)
    client.get(f"/petitions/{petition.slug}/")
    client.get(f"/cases/{petition.case.slug}/")
    signed = client.post(f"/petitions/{petition.slug}/sign/", sign_form_data())
    assert signed.status_code == 303
    assert draws == []
    client.get(f"/petitions/{petition.slug}/card/en/3.png")
    client.get(f"/petitions/{petition.slug}/card/en/3.png")
    assert draws == [("en", 3)]  # drawn once, then from the cache


def test_a_count_change_yields_a_new_image_url_and_a_different_image(client: Any) -> None:
    petition = make_petition(goal=100)
    make_signatures(petition, 12)
    fresh_count(petition)
    before_url = tags_of(client, f"/petitions/{petition.slug}/").meta["og:image"][0]
    before = client.get(before_url.removeprefix("http://testserver")).content
    make_signatures(petition, 40)
    fresh_count(petition)
    after_url = tags_of(client, f"/petitions/{petition.slug}/").meta["og:image"][0]
    after = client.get(after_url.removeprefix("http://testserver")).content
    assert before_url.endswith("/card/en/12.png") and after_url.endswith("/card/en/52.png")
    assert before != after
    assert Image.open(io.BytesIO(before)).size == Image.open(io.BytesIO(after)).size


def test_each_language_has_its_own_card(client: Any, draws: list[tuple[str, int]]) -> None:
    petition = make_petition(languages=["en", "de"], title_en="Free them", title_de="Befreit sie")
    english = client.get(f"/petitions/{petition.slug}/card/en/0.png").content
    german = client.get(f"/petitions/{petition.slug}/card/de/0.png").content
    assert english != german
    assert draws == [("en", 0), ("de", 0)]


def test_an_old_or_made_up_bucket_is_sent_to_the_current_card(
    client: Any, draws: list[tuple[str, int]]
) -> None:
    petition = make_petition()
    response = client.get(f"/petitions/{petition.slug}/card/en/990000.png")
    assert response.status_code == 302
    assert response["Location"] == f"/petitions/{petition.slug}/card/en/0.png"
    assert draws == []


@pytest.mark.parametrize("language", ["xx", "EN", "en-gb"])
def test_an_unknown_language_has_no_card(client: Any, language: str) -> None:
    petition = make_petition()
    assert client.get(f"/petitions/{petition.slug}/card/{language}/0.png").status_code == 404


def test_a_draft_has_no_card(client: Any) -> None:
    petition = make_petition(status="draft")
    assert client.get(f"/petitions/{petition.slug}/card/en/0.png").status_code == 404
