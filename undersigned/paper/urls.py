"""Mounted under /staff/ by undersigned.staff.urls (namespace "staff:paper"). Under
/staff/paper/, whose request bodies may be larger (settings.STAFF_REQUEST_BODY_LIMITS)."""

from django.urls import path

from undersigned.paper import views

app_name = "paper"
urlpatterns = [
    path("paper/<slug:slug>/", views.paper_page, name="page"),
    path("paper/<slug:slug>/goal/", views.goal, name="goal"),
    path("paper/<slug:slug>/<int:pk>/", views.batch_page, name="batch"),
    path("paper/<slug:slug>/<int:pk>/apply/", views.apply, name="apply"),
    path("paper/<slug:slug>/<int:pk>/revert/", views.revert, name="revert"),
]
