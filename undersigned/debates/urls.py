"""The debate's public pages (namespace "debates")."""

from django.urls import path

from undersigned.debates import views

app_name = "debates"
urlpatterns = [
    path("cases/<slug:case>/debates/<slug:slug>/", views.debate, name="debate"),
    path(
        "cases/<slug:case>/debates/<slug:slug>/arguments/<int:argument_id>/convinced/",
        views.vote,
        name="vote",
    ),
    path("cases/<slug:case>/debates/<slug:slug>/stance/", views.stance, name="stance"),
    path("cases/<slug:case>/debates/<slug:slug>/contribute/", views.contribute, name="contribute"),
    path("debates/check-email/", views.check_email, name="check_email"),
    path("debates/confirm/<str:token>/", views.confirm, name="confirm"),
]
