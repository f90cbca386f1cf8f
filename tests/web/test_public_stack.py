"""Public paths skip the back office's middlewares (web/staff_only.py); staff paths keep them
all; and the bench's floors go through exactly what the public pages go through."""

from __future__ import annotations

import pytest
from django.contrib.sessions import middleware as sessions
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.urls import path

from tests.factories import make_petition
from tests.sign_in import sign_in
from undersigned.config import urls as site
from undersigned.web import staff_only

pytestmark = pytest.mark.django_db

seen: dict[str, bool] = {}


def what_the_view_sees(request: HttpRequest) -> HttpResponse:
    seen.update(user=hasattr(request, "user"), session=hasattr(request, "session"),
                messages=hasattr(request, "_messages"))  # fmt: skip
    return HttpResponse(b"ok")


urlpatterns = [
    path("staff/test-probe/", what_the_view_sees),
    path("petitions/test-probe/", what_the_view_sees),
    *site.urlpatterns,
]


@pytest.mark.urls(__name__)
def test_a_public_view_has_no_session_no_user_and_no_messages(client):
    client.get("/petitions/test-probe/")
    assert seen == {"user": False, "session": False, "messages": False}


@pytest.mark.urls(__name__)
def test_a_staff_view_has_them_all(client):
    client.get("/staff/test-probe/")
    assert seen == {"user": True, "session": True, "messages": True}


def test_a_signed_in_staff_member_gets_the_same_public_page_as_anyone(admin_user):
    petition = make_petition()
    staff = sign_in(Client(), admin_user)
    anonymous = Client()
    page = staff.get(f"/petitions/{petition.slug}/")
    assert page.status_code == 200
    assert "Set-Cookie" not in page.headers and "Cookie" not in page.get("Vary", "")
    assert page.content == anonymous.get(f"/petitions/{petition.slug}/").content
    # … and the back office still knows them.
    assert staff.get("/staff/").status_code == 200


def test_a_staff_page_without_a_session_sends_to_the_sign_in(client):
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/")


@override_settings(ROOT_URLCONF="bench.urls")
def test_the_bench_floors_go_through_the_public_pages_middlewares(client):
    """docs/scaling.md: a floor is measured through the same stack as the public path it is
    compared with, so a gain cannot come from making the floor dearer or the path leaner."""
    petition = make_petition()
    floor = client.get("/bench/hello")
    page = client.get(f"/petitions/{petition.slug}/")
    for header in ("Content-Security-Policy", "X-Frame-Options", "Permissions-Policy",
                   "Referrer-Policy", "X-Content-Type-Options", "Content-Language"):  # fmt: skip
        assert floor[header] == page[header], header
    assert floor["Vary"] == page["Vary"] == "Accept-Language"
    assert "Set-Cookie" not in floor.headers and "Set-Cookie" not in page.headers


def test_staff_only_keeps_the_library_class_for_djangos_checks():
    assert issubclass(staff_only.SessionMiddleware, sessions.SessionMiddleware)
    request = RequestFactory().get("/petitions/x/")
    middleware = staff_only.SessionMiddleware(lambda request: HttpResponse(b"ok"))
    middleware(request)
    assert not hasattr(request, "session")


def test_staff_only_refuses_a_middleware_whose_hooks_it_could_not_skip():
    class WithAViewHook:
        def __init__(self, get_response):
            self.get_response = get_response

        def process_view(self, request, view, args, kwargs):
            return None

    with pytest.raises(TypeError):
        staff_only.staff_only(WithAViewHook)
