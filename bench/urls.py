"""The benchmark-only URLconf: the real site plus the two floors.

Selected with UNDERSIGNED_URLCONF=bench.urls; nothing in production points here.
"""

from __future__ import annotations

from django.urls import path

from bench import views
from undersigned.config import urls as site

urlpatterns = [
    path("bench/hello", views.hello, name="bench-hello"),
    path("bench/insert", views.insert, name="bench-insert"),
    *site.urlpatterns,
]

handler400 = site.handler400
handler404 = site.handler404
handler500 = site.handler500
