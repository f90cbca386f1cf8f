"""Mounted under /staff/ by undersigned.staff.urls (namespace "staff:webhooks")."""

from django.urls import path

from undersigned.webhooks import views

app_name = "webhooks"
ENDPOINT = "organisations/<slug:organisation>/webhooks/<int:endpoint_id>/"
urlpatterns = [
    path("organisations/<slug:organisation>/webhooks/", views.endpoints, name="endpoints"),
    path(ENDPOINT, views.endpoint_page, name="endpoint"),
    path(f"{ENDPOINT}enable/", views.enable, name="enable"),
    path(f"{ENDPOINT}disable/", views.disable, name="disable"),
    path(f"{ENDPOINT}rotate-secret/", views.rotate, name="rotate"),
    path(f"{ENDPOINT}test/", views.send_test, name="test"),
    path(f"{ENDPOINT}delete/", views.delete, name="delete"),
    path(
        f"{ENDPOINT}deliveries/<int:delivery_id>/redeliver/",
        views.redeliver,
        name="redeliver",
    ),
]
