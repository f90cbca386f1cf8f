"""Public pages for petitions drafted by the public (namespace "proposals")."""

from django.urls import path

from undersigned.proposals import views

app_name = "proposals"
urlpatterns = [
    path("proposals/new/", views.start, name="start"),
    path("proposals/check-email/", views.check_email, name="check_email"),
    path("proposals/confirm/<str:token>/", views.confirm, name="confirm"),
    path("proposals/sponsor/confirm/<str:token>/", views.confirm_sponsor, name="confirm_sponsor"),
    path("proposals/<str:slug>/", views.detail, name="detail"),
    path("proposals/<str:slug>/sponsor/", views.sponsor, name="sponsor"),
]
