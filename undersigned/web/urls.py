from django.urls import path

from undersigned.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("cases/<slug:slug>/", views.case_page, name="case"),
    path("privacy/", views.privacy, name="privacy"),
    path("language/", views.switch_language, name="language"),
    path("healthz", views.healthz, name="healthz"),
]
