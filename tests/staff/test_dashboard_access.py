"""Who may open a petition's dashboard, and what it never shows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import (
    make_case,
    make_organisation,
    make_petition,
    make_signature,
    make_staff,
    pending,
)
from tests.sign_in import sign_in
from undersigned.campaigns.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def petition():
    return make_petition(case=make_case(organisation=make_organisation()))


def _url(petition) -> str:
    return f"/staff/petitions/{petition.slug}/"


# Which roles see the dashboard, and that strangers get 404: the permission matrix
# (tests/backoffice/test_permission_matrix.py). Here: what it shows.
def test_the_dashboard_is_about_its_petition(client, petition):
    sign_in(client, make_staff(petition.case.organisation, Role.ANALYST))
    response = client.get(_url(petition))
    assert response.status_code == 200
    assert petition.title in response.content.decode()


def test_an_unknown_petition_is_not_found(client):
    sign_in(client, make_staff(make_organisation(), Role.ANALYST))
    assert client.get("/staff/petitions/no-such-petition/").status_code == 404


def test_signed_out_visitor_is_sent_to_the_login_page(client, petition):
    response = client.get(_url(petition))
    assert response.status_code == 302
    assert response["Location"] == f"/staff/login/?next={_url(petition)}"


def test_dashboard_shows_no_name_or_email_of_any_signer(client, petition):
    make_signature(petition, name="Zebediah Quillfeather", email="zeb.quill@example.net")
    make_signature(petition, name="Ottoline Brackenridge", email="otto.b@example.org",
                   confirmed_at=timezone.now() - timedelta(days=1))  # fmt: skip
    make_signature(petition, name="Pending Pemberton", email="pem@example.com", **pending())
    sign_in(client, make_staff(petition.case.organisation, Role.ANALYST))

    html = client.get(_url(petition)).content.decode()

    assert 'data-number="confirmed">2<' in html
    personal = ("Zebediah", "Quillfeather", "zeb.quill", "Ottoline", "Brackenridge", "otto.b",
                "Pemberton", "pem@", "example.net", "example.org", "@example")  # fmt: skip
    assert [word for word in personal if word in html] == []


def test_dashboard_sets_no_tracking_cookie_and_is_not_stored_by_caches(client, petition, settings):
    sign_in(client, make_staff(petition.case.organisation, Role.ANALYST))
    response = client.get(_url(petition))
    # Only the sign-out form's CSRF cookie: nothing that follows a person around.
    assert set(response.cookies) <= {settings.CSRF_COOKIE_NAME, settings.SESSION_COOKIE_NAME}
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_dashboard_loads_nothing_from_other_sites(client, petition):
    sign_in(client, make_staff(petition.case.organisation, Role.ANALYST))
    html = client.get(_url(petition)).content.decode()
    assert "<script" not in html[html.index('<div class="dash">') :]
    for external in ('src="http', "src='http", 'href="//', "url(http", "@import"):
        assert external not in html
    assert '<link rel="stylesheet" href="/static/staff/dashboard.css">' in html


def test_dashboard_counts_with_a_few_aggregate_queries_however_many_signatures(
    client, petition, django_assert_max_num_queries
):
    for n in range(30):
        make_signature(petition, country="DE" if n % 2 else "FR")
    sign_in(client, make_staff(petition.case.organisation, Role.ANALYST))
    # session, user, the session's second factor, petition, membership, five aggregates
    with django_assert_max_num_queries(10):
        assert client.get(_url(petition)).status_code == 200


def test_a_second_look_within_the_minute_does_not_count_again(client, petition):
    make_signature(petition)
    sign_in(client, make_staff(petition.case.organisation, Role.ANALYST))
    client.get(_url(petition))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(_url(petition)).status_code == 200
    assert [q["sql"] for q in queries if "signatures_signature" in q["sql"]] == []
