"""The moderators' queue and closing, mounted under /staff/ (namespace "staff:debates")."""

from django.urls import path

from undersigned.debates import staff_views

app_name = "debates"
urlpatterns = [
    path("debates/", staff_views.queue, name="queue"),
    path("debates/arguments/<int:argument_id>/", staff_views.review, name="review"),
    path("debates/<int:debate_id>/close/", staff_views.close, name="close"),
]
