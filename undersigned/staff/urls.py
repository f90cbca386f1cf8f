from django.contrib.auth import views as auth_views
from django.urls import include, path

from undersigned.staff import dashboard, views

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
    path("petitions/<slug:slug>/", dashboard.dashboard, name="dashboard"),
    path("petitions/<slug:slug>/preview/", views.preview, name="preview"),
    # Feature areas, each owned by its app.
    path("", include("undersigned.privacy.urls")),
    path("", include("undersigned.mailings.urls")),
    path("", include("undersigned.moderation.urls")),
    path("", include("undersigned.proposals.staff_urls")),
]
