"""Mounted under /staff/ by undersigned.staff.urls (namespace "staff:partners")."""

from django.urls import path

from undersigned.partners import staff_views

app_name = "partners"
urlpatterns = [
    path("api-keys/", staff_views.api_keys, name="api_keys"),
    path("api-keys/<int:key_id>/revoke/", staff_views.revoke_key, name="revoke_key"),
    path("petitions/<slug:slug>/partners/", staff_views.petition_partners, name="petition"),
]
