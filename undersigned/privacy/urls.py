"""Mounted under /staff/ by undersigned.staff.urls (namespace "staff:privacy")."""

from django.urls import path

from undersigned.privacy.exports import views
from undersigned.privacy.retention import views as retention_views

app_name = "privacy"
urlpatterns = [
    path("audit-log/", views.audit_log, name="audit_log"),
    path("petitions/<slug:slug>/exports/", views.exports_page, name="exports"),
    path(
        "petitions/<slug:slug>/export/signatures.csv",
        views.export_signatures,
        name="export_signatures",
    ),
    path(
        "petitions/<slug:slug>/export/countries-by-day.csv",
        views.export_countries_by_day,
        name="export_countries_by_day",
    ),
    path("petitions/<slug:slug>/delivery.pdf", views.delivery_pdf, name="delivery_pdf"),
    path("petitions/<slug:slug>/deliveries/", views.deliveries, name="deliveries"),
    path(
        "petitions/<slug:slug>/retention/",
        retention_views.retention_report_page,
        name="retention_report",
    ),
]
