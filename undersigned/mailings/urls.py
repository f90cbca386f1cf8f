"""Staff pages for updates and their mailings, mounted under /staff/ (namespace staff:mailings)."""

from django.urls import path

from undersigned.mailings import views

app_name = "mailings"
urlpatterns = [
    path("cases/<slug:slug>/updates/", views.case_updates, name="case_updates"),
    path("cases/<slug:slug>/updates/new/", views.new_update, name="new_update"),
    path("mailings/<int:mailing_id>/", views.mailing_progress, name="progress"),
    path("mailings/<int:mailing_id>/progress.json", views.progress_json, name="progress_json"),
]
