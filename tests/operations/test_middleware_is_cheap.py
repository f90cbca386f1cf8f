"""The first middleware sits on the sign path: it makes no database query and opens no
connection, with metrics and the JSON access line on (bench/middleware_cost.py times it)."""

import socket

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import resolve

from undersigned.operations.middleware import RequestMetricsMiddleware

pytestmark = pytest.mark.django_db


@override_settings(LOG_REQUESTS=True)
def test_a_sign_request_gains_no_query_and_no_connection(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the middleware opened a connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    request = RequestFactory().post("/petitions/a-petition/sign/")
    request.resolver_match = resolve("/petitions/a-petition/sign/")
    middleware = RequestMetricsMiddleware(lambda request: HttpResponse(status=303))
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            response = middleware(request)
    assert len(queries) == 0
    assert response.status_code == 303 and response["X-Request-ID"]
