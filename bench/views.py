"""The floors: the cheapest views the same server, settings and middleware can serve.

`hello` is a bare response; `insert` does one INSERT, nothing else. The real paths are
measured as a ratio to these. The table `bench_floor` is created and dropped by run.py.
"""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"hello", content_type="text/plain")


@csrf_exempt
def insert(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_floor (payload, created_at) VALUES (%s, %s)",
            ["floor", timezone.now()],
        )
    return HttpResponse(b"inserted", content_type="text/plain")
