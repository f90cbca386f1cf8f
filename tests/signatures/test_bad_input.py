"""Whatever a person (or a bot) sends, the answer is a clear message, never a 500."""

from urllib.parse import urlencode

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import make_petition, sign_form_data
from undersigned.core.formtoken import issue_form_token
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
    assert f'id="id_{field}_error"' in html
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
    token = urlencode({"form_token": issue_form_token()}).encode()
    body = b"name=Jane%FF%FEDoe&email=jane%40example.org&country=DE&privacy_consent=on&" + token
    response = client.post(
        f"/petitions/{petition.slug}/sign/", body,
        content_type="application/x-www-form-urlencoded",
    )  # fmt: skip
    assert response.status_code == 422
    assert "could not read" in response.content.decode()


def test_missing_form_token_gets_the_designed_403_page(client):
    petition = make_petition()
    response = post(client, petition, form_token=None)
    assert response.status_code == 403
    assert "Your form expired" in response.content.decode()
    assert not Signature.objects.exists()


def test_wrong_form_token_gets_the_designed_403_page(client):
    petition = make_petition()
    response = post(client, petition, form_token="form:1abc:forged")
    assert response.status_code == 403
    assert "Your form expired" in response.content.decode()
    assert not Signature.objects.exists()


def test_form_token_older_than_a_day_is_refused(client, settings):
    petition = make_petition()
    token = issue_form_token()
    settings.FORM_TOKEN_MAX_AGE = -1  # as if a day had passed
    assert post(client, petition, form_token=token).status_code == 403
    assert not Signature.objects.exists()


def test_a_post_from_another_site_is_refused(client):
    petition = make_petition()
    response = client.post(
        f"/petitions/{petition.slug}/sign/", sign_form_data(), HTTP_ORIGIN="https://evil.example"
    )
    assert response.status_code == 403
    assert not Signature.objects.exists()


def test_the_form_token_from_the_page_is_accepted_with_our_origin():
    petition = make_petition()
    client = Client(enforce_csrf_checks=True)
    page = client.get(f"/petitions/{petition.slug}/")
    token = page.content.decode().split('name="form_token" value="')[1].split('"')[0]
    data = sign_form_data(form_token=token)
    response = client.post(
        f"/petitions/{petition.slug}/sign/", data, HTTP_ORIGIN="http://testserver"
    )
    assert response.status_code == 303
    assert Signature.objects.filter(petition=petition).count() == 1


def test_signers_get_no_cookie_at_all(client):
    petition = make_petition()
    page = client.get(f"/petitions/{petition.slug}/")
    signed = post(client, petition)
    assert page.cookies == {} and signed.cookies == {}


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


def test_an_unbounded_body_to_a_staff_page_is_refused_before_it_is_read(client):
    big = b"x" * (7 * 1024 * 1024)  # over the staff pages' 6 MB, which a photo fits in
    response = client.post("/staff/login/", big, content_type="application/octet-stream")
    assert response.status_code == 413
    assert "Too much data" in response.content.decode()
