"""The Content Security Policy every page sends, the one view that may be framed, and the
operator's report-only switch (the Chromium walk: tests/browser/test_content_security_policy.py).
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.web.test_configuration import GOOD_KEY

pytestmark = pytest.mark.django_db


def directives(header: str) -> dict[str, str]:
    return {part.split(" ", 1)[0]: part.split(" ", 1)[1] for part in header.split("; ") if part}


def test_pages_may_run_only_our_own_scripts_and_no_site_may_frame_them(client):
    response = client.get("/privacy/")
    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"  # no nonce: this page has nothing inline
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert policy["base-uri"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.urls("tests.web.framing_urls")
def test_only_a_view_marked_frameable_may_be_framed_by_any_site(client):
    embed = client.get("/test-embed/")
    assert directives(embed["Content-Security-Policy"])["frame-ancestors"] == "*"
    assert directives(embed["Content-Security-Policy"])["script-src"] == "'self'"
    assert "X-Frame-Options" not in embed
    other = client.get("/privacy/")
    assert directives(other["Content-Security-Policy"])["frame-ancestors"] == "'none'"


def test_the_report_only_switch_reports_instead_of_blocking():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.CONTENT_SECURITY_POLICY, "
        "settings.CONTENT_SECURITY_POLICY_REPORT_ONLY['DIRECTIVES']['report-uri'])"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False,
        env={**os.environ, "DJANGO_SETTINGS_MODULE":
             "undersigned.config.settings", "SECRET_KEY": GOOD_KEY, "DEBUG": "false",
             "CSP_REPORT_ONLY": "true", "CSP_REPORT_URI": "https://reports.example.org/csp"},
    )  # fmt: skip
    assert result.stdout.split() == ["None", "['https://reports.example.org/csp']"], result.stderr
