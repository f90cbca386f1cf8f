"""The privacy notice is written from configuration, in every language of the site."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client, override_settings

from tests.factories import make_petition

pytestmark = pytest.mark.django_db

CONFIGURED = {
    "PRIVACY_CONTROLLER": "Friends of Free Speech e.V.",
    "PRIVACY_CONTROLLER_ADDRESS": "Hauptstraße 1\n10115 Berlin",
    "PRIVACY_CONTACT_EMAIL": "privacy@friends.example",
    "PRIVACY_PROCESSORS": ["Postmark: sends our emails", "Hetzner: hosting in Germany"],
    "PRIVACY_NOTICE_VERSION": "2027-01-01",
    "NETWORK_DATA_DAYS": 3,
}


def _notice(client: Client, language: str = "en") -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get("/privacy/")
    assert response.status_code == 200
    return response.content.decode()


@override_settings(**CONFIGURED)
def test_notice_names_controller_contact_processors_and_retention_from_configuration(
    client: Client,
) -> None:
    page = _notice(client)
    assert "Friends of Free Speech e.V." in page
    assert "Hauptstraße 1<br>10115 Berlin" in page
    assert 'href="mailto:privacy@friends.example"' in page
    assert "<li>Postmark: sends our emails</li>" in page
    assert "<li>Hetzner: hosting in Germany</li>" in page
    assert "Version 2027-01-01." in page
    assert "Network data is deleted 3 days after signing" in page
    assert "deleted 30 days after signing" in page
    assert "the default: 6 months" in page


@override_settings(PRIVACY_CONTROLLER="", PRIVACY_CONTACT_EMAIL="", PRIVACY_PROCESSORS=[])
def test_notice_without_configuration_names_the_petitions_organisation_and_no_processors(
    client: Client,
) -> None:
    page = _notice(client)
    assert "The organisation that runs the petition you sign" in page
    assert "mailto:" not in page
    assert "service providers" not in page


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
@override_settings(**CONFIGURED)
def test_notice_is_served_in_every_language_of_the_site(client: Client, language: str) -> None:
    page = _notice(client, language)
    assert f'<html lang="{language}">' in page
    assert "Friends of Free Speech e.V." in page
    assert "privacy@friends.example" in page


def test_sign_form_links_to_the_privacy_notice(client: Client) -> None:
    petition = make_petition()
    page = client.get(f"/petitions/{petition.slug}/").content.decode()
    assert 'href="/privacy/"' in page


def test_notice_tells_that_network_addresses_are_kept_only_shortened_and_hashed(
    client: Client,
) -> None:
    page = _notice(client)
    assert "do not store your IP address" not in page
    assert "keyed hash" in page
