"""The Content Security Policy is built once per process for answers without a nonce
(web/csp.py): the header must be the very one django-csp would build on each answer."""

from __future__ import annotations

import re

import pytest
from csp.utils import build_policy
from django.test import override_settings

from tests.factories import make_petition

pytestmark = pytest.mark.django_db


def test_a_public_page_gets_django_csps_own_policy(client):
    response = client.get("/privacy/")
    assert response["Content-Security-Policy"] == build_policy()


def test_the_embed_gets_django_csps_policy_with_its_replacement(client):
    petition = make_petition()
    response = client.get(f"/petitions/{petition.slug}/embed/")
    assert response["Content-Security-Policy"] == build_policy(replace={"frame-ancestors": ["*"]})
    assert "frame-ancestors *" in response["Content-Security-Policy"].split("; ")


def test_a_changed_setting_changes_the_policy(client):
    client.get("/privacy/")  # built and kept under the first setting
    policy = {"DIRECTIVES": {"default-src": ["'self'", "https://cdn.example.org"]}}
    with override_settings(CONTENT_SECURITY_POLICY=policy):
        assert client.get("/privacy/")["Content-Security-Policy"] == (
            "default-src 'self' https://cdn.example.org"
        )
    assert client.get("/privacy/")["Content-Security-Policy"] == build_policy()


def test_a_page_with_a_nonce_gets_a_new_one_each_time(client):
    nonces = []
    for _ in range(2):
        header = client.get("/admin/login/")["Content-Security-Policy"]
        found = re.search(r"'nonce-([^']+)'", header)
        assert found is not None
        nonces.append(found.group(1))
    assert nonces[0] != nonces[1]
