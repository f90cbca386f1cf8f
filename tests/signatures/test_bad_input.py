"""Whatever a person (or a bot) sends, the answer is a clear message, never a 500."""

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import make_petition, sign_form_data
from undersigned.signatures.models import Signature

pytestmark = pytest.mark.django_db


def post(client, petition, **overrides):
    return client.post(f"/petitions/{petition.slug}/sign/", sign_form_data(**overrides))


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Please enter your name."),
        ("name", "   ", "Please enter your name."),
        ("name", "x" * 101, "100 characters or fewer"),
        ("name", "Jane\x00Doe", "control characters"),
        ("name", "Jane\x1bDoe", "control characters"),
        ("name", "<b>Jane</b>", "&lt; and &gt;"),
        ("email", "", "Please enter your email address."),
        ("email", "not-an-address", "does not look like an email address"),
        ("email", "jane@", "does not look like an email address"),
        ("email", "a@b", "does not look like an email address"),
        ("email", "x" * 250 + "@example.org", "at most 254 characters"),
        ("country", "", "Please choose your country."),
        ("country", "XX", "Please choose a country from the list."),
        ("country", "Germany", "Please choose a country from the list."),
        ("privacy_consent", None, "Please agree to the privacy notice to sign."),
    ],
)
def test_each_bad_field_gets_an_inline_error_next_to_it(client, field, value, message):
    petition = make_petition()
    response = post(client, petition, **{field: value})
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html
    assert f'id="id_{field}-error"' in html
    assert 'aria-invalid="true"' in html
    assert not Signature.objects.exists()


def test_typed_values_survive_an_error_so_nothing_is_lost(client):
    petition = make_petition()
    html = post(client, petition, name="Jane Doe", email="bad", country="FR").content.decode()
    assert 'value="Jane Doe"' in html
    assert 'value="bad"' in html
    assert '<option value="FR" selected>' in html


def test_a_body_over_64_kb_is_refused_with_413(client):
    petition = make_petition()
    response = post(client, petition, name="x" * (70 * 1024))
    assert response.status_code == 413
    assert "Too much data" in response.content.decode()
    assert not Signature.objects.exists()


def test_invalid_utf8_gets_a_readable_error(client):
    petition = make_petition()
    body = b"name=Jane%FF%FEDoe&email=jane%40example.org&country=DE&privacy_consent=on"
    response = client.post(
        f"/petitions/{petition.slug}/sign/", body,
        content_type="application/x-www-form-urlencoded",
    )  # fmt: skip
    assert response.status_code == 422
    assert "could not read" in response.content.decode()


def test_missing_csrf_token_gets_the_designed_403_page():
    petition = make_petition()
    client = Client(enforce_csrf_checks=True)
    response = post(client, petition)
    assert response.status_code == 403
    assert "Your form expired" in response.content.decode()
    assert not Signature.objects.exists()


def test_wrong_csrf_token_gets_the_designed_403_page():
    petition = make_petition()
    client = Client(enforce_csrf_checks=True)
    client.get(f"/petitions/{petition.slug}/")
    data = sign_form_data(csrfmiddlewaretoken="x" * 64)
    response = client.post(f"/petitions/{petition.slug}/sign/", data)
    assert response.status_code == 403
    assert "Your form expired" in response.content.decode()


def test_the_real_csrf_token_from_the_page_is_accepted():
    petition = make_petition()
    client = Client(enforce_csrf_checks=True)
    html = client.get(f"/petitions/{petition.slug}/").content.decode()
    token = html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = post(client, petition, csrfmiddlewaretoken=token)
    assert response.status_code == 303


def test_get_on_the_sign_url_is_not_allowed(client):
    petition = make_petition()
    assert client.get(f"/petitions/{petition.slug}/sign/").status_code == 405


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.text(max_size=120),
    email=st.text(max_size=80),
    country=st.text(max_size=4),
)
def test_no_typed_input_causes_a_server_error(client, name, email, country):
    petition = make_petition()
    response = post(client, petition, name=name, email=email, country=country)
    assert response.status_code in {303, 422}
