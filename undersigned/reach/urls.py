from django.urls import path

from undersigned.reach import views

app_name = "reach"
urlpatterns = [
    path(
        "petitions/<slug:slug>/card/<str:language>/<int:bucket>.png",
        views.share_card,
        name="share_card",
    ),
    path("p/<slug:code>", views.tracked_link, name="tracked_link"),
]
