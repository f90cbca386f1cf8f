"""Behind a TLS proxy: staff sign-in and the public forms work from SITE_URL alone, and every
answer carries Permissions-Policy, plus HSTS when the public address is https."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.factories import make_petition

GOOD_KEY = "a-long-random-secret-key-for-this-test-only-0123456789"

# What the app sees behind a proxy that terminates TLS: plain http, the public Host, and the
# browser's Origin (https). Run in a fresh process so settings are read from this environment.
CHECK = """
import json
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.test import RequestFactory
from django.conf import settings
from undersigned.core.formtoken import origin_is_ours

settings.CSRF_FAILURE_VIEW = "django.views.csrf.csrf_failure"  # ours needs collected static

def posted(origin):
    factory = RequestFactory(HTTP_HOST="petitions.example.org")
    token_source = factory.get("/staff/login/")
    token = get_token(token_source)
    request = factory.post("/staff/login/", {"csrfmiddlewaretoken": token}, HTTP_ORIGIN=origin)
    request.COOKIES[settings.CSRF_COOKIE_NAME] = token_source.META["CSRF_COOKIE"]
    refused = CsrfViewMiddleware(lambda r: None).process_view(request, lambda r: None, (), {})
    return {"staff_form": refused is None, "public_form": origin_is_ours(request)}

print(json.dumps({
    "trusted": settings.CSRF_TRUSTED_ORIGINS,
    "hsts": settings.SECURE_HSTS_SECONDS,
    "ours": posted("https://petitions.example.org"),
    "foreign": posted("https://evil.example"),
}))
"""


def settings_behind_tls(**env: str) -> dict:
    unset = {"DATABASE_URL", "CSRF_TRUSTED_ORIGINS", "HSTS_SECONDS"}
    base = {k: v for k, v in os.environ.items() if k not in unset}
    base.update(
        DJANGO_SETTINGS_MODULE="undersigned.config.settings", DEBUG="false",
        SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="petitions.example.org",
    )  # fmt: skip
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "undersigned", "shell", "-c", CHECK],
        env={**base, **env}, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_staff_and_public_forms_accept_posts_from_the_https_site_url_alone():
    seen = settings_behind_tls(SITE_URL="https://Petitions.example.org")
    assert seen["trusted"] == ["https://petitions.example.org"]
    assert seen["ours"] == {"staff_form": True, "public_form": True}
    assert seen["foreign"] == {"staff_form": False, "public_form": False}
    assert seen["hsts"] == 365 * 86400


def test_csrf_trusted_origins_from_the_environment_replace_the_derived_one():
    seen = settings_behind_tls(
        SITE_URL="https://petitions.example.org", CSRF_TRUSTED_ORIGINS="https://other.example"
    )
    assert seen["trusted"] == ["https://other.example"]
    assert seen["ours"]["staff_form"] is False


def test_a_plain_http_site_url_sends_no_hsts():
    assert settings_behind_tls(SITE_URL="http://petitions.example.org")["hsts"] == 0


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/healthz", "/no-such-page/", "/api/v1/petitions/"])
def test_every_answer_refuses_the_browser_features_we_never_use(client, path):
    policy = client.get(path)["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy


@pytest.mark.django_db
def test_hsts_goes_out_even_though_the_proxy_speaks_http_to_us(client, settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    petition = make_petition()
    response = client.get(f"/petitions/{petition.slug}/")  # the test client speaks http
    assert response["Strict-Transport-Security"] == "max-age=31536000"
    settings.SECURE_HSTS_SECONDS = 0
    assert "Strict-Transport-Security" not in client.get("/healthz")
