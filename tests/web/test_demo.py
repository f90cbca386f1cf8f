"""The demo case loads under its contract slugs, and loading it twice changes nothing."""

import pytest
from django.apps import apps
from django.core import serializers

from undersigned.campaigns.models import DatePrecision, TimelineEntry
from undersigned.web.demo import load_demo

pytestmark = pytest.mark.django_db

DEMO_MODELS = ["campaigns.Organisation", "campaigns.Case", "campaigns.TimelineEntry",
               "campaigns.Update", "petitions.Petition", "petitions.Milestone"]  # fmt: skip


def snapshot() -> str:
    rows = [obj for label in DEMO_MODELS for obj in apps.get_model(label).objects.order_by("pk")]
    return serializers.serialize("json", rows)


def test_demo_loads_the_case_and_petition_under_their_slugs(client):
    load_demo()
    case_html = client.get("/cases/julian-assange/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>Julian Assange</h1>" in case_html
    assert ">2006</time>" in case_html
    assert ">19 June 2012</time>" in case_html
    assert ">November 2010</time>" in case_html
    petition = client.get("/petitions/together-for-julian-assange/").content.decode()
    assert "Together for Julian Assange" in petition
    assert "Department of Justice" in petition


def test_demo_timeline_has_every_dated_event_at_its_precision():
    load_demo()
    entries = TimelineEntry.objects.filter(case__slug="julian-assange")
    assert entries.count() == 26
    assert entries.filter(precision=DatePrecision.YEAR).count() == 2
    first, last = entries.order_by("date").first(), entries.order_by("date").last()
    assert first is not None and last is not None
    assert first.date.year == 2006
    assert str(last.date) == "2021-01-06"


def test_demo_is_in_german_and_spanish_too(client):
    load_demo()
    german = client.get("/petitions/together-for-julian-assange/", HTTP_ACCEPT_LANGUAGE="de")
    spanish = client.get("/petitions/together-for-julian-assange/", HTTP_ACCEPT_LANGUAGE="es")
    assert "Gemeinsam für Julian Assange" in german.content.decode()
    assert "Juntos por Julian Assange" in spanish.content.decode()


def test_running_the_demo_twice_changes_nothing():
    load_demo()
    first = snapshot()
    load_demo()
    assert snapshot() == first


def test_demo_staff_accounts_exist_only_in_development(settings):
    from django.contrib.auth.models import User
    from django.core.management import call_command

    settings.DEBUG = False
    call_command("demo", verbosity=0)
    assert not User.objects.exists()
    settings.DEBUG = True
    call_command("demo", verbosity=0)
    assert set(User.objects.values_list("username", flat=True)) == {
        "editor", "analyst", "dataofficer", "moderator", "admin",
    }  # fmt: skip


def test_a_newcomer_signs_in_as_the_demo_data_officer_with_the_printed_key(client):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.sign_in import code_from_secret
    from undersigned.web.demo import DEMO_STAFF_PASSWORD, DEMO_TOTP_SECRET, load_demo_staff

    load_demo_staff()
    load_demo_staff()  # twice: still one app each

    assert TOTPDevice.objects.filter(user__username="dataofficer").count() == 1
    client.post("/staff/login/", {"username": "dataofficer", "password": DEMO_STAFF_PASSWORD})
    response = client.post(
        "/staff/sign-in/second-factor/", {"code": code_from_secret(DEMO_TOTP_SECRET)}
    )
    assert response.status_code == 303
    assert client.get("/staff/").status_code == 200
