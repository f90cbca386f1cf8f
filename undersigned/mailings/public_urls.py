"""The signer's side of update emails: the unsubscribe link (namespace updates)."""

from django.urls import path

from undersigned.mailings import views

app_name = "updates"
urlpatterns = [
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
