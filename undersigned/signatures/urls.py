from django.urls import path

from undersigned.signatures import views

app_name = "signatures"
# The busiest first (config/urls.py).
urlpatterns = [
    path("petitions/<slug:slug>/", views.petition_page, name="petition"),
    path("petitions/<slug:slug>/sign/", views.sign, name="sign"),
    path("petitions/<slug:slug>/count.json", views.count_json, name="count_json"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("petitions/<slug:slug>/check-your-email/", views.check_your_email, name="check_email"),
    path("petitions/<slug:slug>/thank-you/", views.thank_you, name="thank_you"),
    path(
        "proof-of-work/challenge.json",
        views.proof_of_work_challenge,
        name="proof_of_work_challenge",
    ),
]
