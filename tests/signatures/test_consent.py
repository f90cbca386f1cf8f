"""Each signature records the consent wording and privacy-notice version the signer saw."""

from __future__ import annotations

import pytest

from tests.factories import make_petition
from tests.signatures.abuse_helpers import post_sign
from undersigned.signatures.models import ConsentWording, Signature

pytestmark = pytest.mark.django_db


def test_a_signature_records_the_wording_and_notice_version_shown(client, settings):
    settings.PRIVACY_NOTICE_VERSION = "2026-11-27"
    post_sign(client, make_petition())
    wording = Signature.objects.select_related("consent_wording").get().consent_wording
    assert wording is not None
    assert (wording.notice_version, wording.language) == ("2026-11-27", "en")
    assert "I agree that my name and country are counted" in wording.wording
    assert "Keep me informed about this case by email" in wording.wording


def test_signers_who_saw_the_same_words_share_one_record(client):
    petition = make_petition()
    for i in range(3):
        post_sign(client, petition, {"REMOTE_ADDR": f"192.0.2.{i + 1}"}, email=f"s{i}@gmail.com")
    assert ConsentWording.objects.count() == 1
    assert Signature.objects.filter(consent_wording__isnull=False).count() == 3


def test_a_new_notice_version_or_language_is_a_new_record(client, settings):
    petition = make_petition()
    post_sign(client, petition, email="a@gmail.com")
    settings.PRIVACY_NOTICE_VERSION = "2027-01-01"
    post_sign(client, petition, {"REMOTE_ADDR": "192.0.2.9"}, email="b@gmail.com")
    client.cookies["django_language"] = "de"
    post_sign(client, petition, {"REMOTE_ADDR": "192.0.2.10"}, email="c@gmail.com",
              HTTP_ACCEPT_LANGUAGE="de")  # fmt: skip
    rows = set(ConsentWording.objects.values_list("notice_version", "language"))
    assert {("2026-11-27", "en"), ("2027-01-01", "en")} <= rows
