"""The moderation queue, mounted under /staff/ (namespace "staff:proposals")."""

from django.urls import path

from undersigned.proposals import staff_views

app_name = "proposals"
urlpatterns = [
    path("proposals/", staff_views.queue, name="queue"),
    path("proposals/<str:slug>/", staff_views.review, name="review"),
]
