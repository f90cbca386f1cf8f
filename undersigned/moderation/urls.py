"""Mounted under /staff/ by undersigned.staff.urls (namespace "staff:moderation")."""

from django.urls import path

from undersigned.moderation import views

app_name = "moderation"
urlpatterns = [
    path("petitions/<slug:slug>/fraud/", views.fraud_signals_page, name="fraud"),
    path("petitions/<slug:slug>/invalidations/", views.invalidations, name="invalidations"),
    path(
        "petitions/<slug:slug>/invalidations/new/",
        views.new_invalidation,
        name="new_invalidation",
    ),
    path(
        "petitions/<slug:slug>/invalidations/<int:pk>/revert/",
        views.revert,
        name="revert_invalidation",
    ),
    path("petitions/<slug:slug>/held/", views.held, name="held"),
]
