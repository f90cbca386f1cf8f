from django.contrib.auth import views as auth_views
from django.urls import include, path

from undersigned.staff import dashboard, outcome_views, two_factor_views, views

app_name = "staff"
urlpatterns = [
    path("", views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="staff/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Two-factor sign-in (reachable with the password alone) and one's own account.
    path("sign-in/second-factor/", two_factor_views.second_factor, name="second_factor"),
    path("sign-in/set-up/", two_factor_views.enrol, name="enrol"),
    path("account/", two_factor_views.account, name="account"),
    path("account/add-app/", two_factor_views.enrol, name="add_app"),
    path("account/recovery-codes/", two_factor_views.new_recovery_codes, name="new_recovery_codes"),
    path(
        "account/sessions/<int:session_id>/end/", two_factor_views.end_session, name="end_session"
    ),
    path("petitions/<slug:slug>/", dashboard.dashboard, name="dashboard"),
    path("petitions/<slug:slug>/preview/", views.preview, name="preview"),
    # Milestones, the target's response and the outcome (issue 12).
    path("petitions/<slug:slug>/outcome/", outcome_views.outcome_page, name="outcome"),
    path("petitions/<slug:slug>/milestones/", outcome_views.add_milestone, name="add_milestone"),
    path(
        "petitions/<slug:slug>/milestones/<int:milestone_id>/",
        outcome_views.edit_milestone,
        name="edit_milestone",
    ),
    path(
        "petitions/<slug:slug>/milestones/<int:milestone_id>/remove/",
        outcome_views.remove_milestone,
        name="remove_milestone",
    ),
    path(
        "petitions/<slug:slug>/milestones/<int:milestone_id>/email/",
        outcome_views.email_milestone,
        name="email_milestone",
    ),
    path("petitions/<slug:slug>/response/", outcome_views.record_response, name="record_response"),
    path(
        "petitions/<slug:slug>/outcome/change/",
        outcome_views.change_outcome,
        name="change_outcome",
    ),
    path(
        "petitions/<slug:slug>/outcome/<int:change_id>/email/",
        outcome_views.email_outcome,
        name="email_outcome",
    ),
    # Feature areas, each owned by its app.
    path("", include("undersigned.privacy.urls")),
    path("", include("undersigned.mailings.urls")),
    path("", include("undersigned.moderation.urls")),
    path("", include("undersigned.proposals.staff_urls")),
    path("", include("undersigned.debates.staff_urls")),
    path("", include("undersigned.reach.staff_urls")),
    path("", include("undersigned.paper.urls")),
    path("", include("undersigned.partners.staff_urls")),
    path("", include("undersigned.webhooks.staff_urls")),
]
