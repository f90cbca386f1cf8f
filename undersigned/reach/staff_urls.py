"""Mounted under /staff/ by undersigned.staff.urls (namespace "staff:reach")."""

from django.urls import path

from undersigned.reach import staff_views

app_name = "reach"
urlpatterns = [
    path("petitions/<slug:slug>/reach/", staff_views.reach_page, name="page"),
    path("petitions/<slug:slug>/poster.pdf", staff_views.poster, name="poster"),
    path(
        "petitions/<slug:slug>/signature-sheet.pdf",
        staff_views.signature_sheet,
        name="signature_sheet",
    ),
]
