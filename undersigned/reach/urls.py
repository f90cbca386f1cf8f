from django.urls import path

from undersigned.reach import embed, oembed, views

app_name = "reach"
urlpatterns = [
    path("petitions/<slug:slug>/embed/", embed.embed, name="embed"),  # the busiest first
    path(
        "petitions/<slug:slug>/card/<str:language>/<int:bucket>.png",
        views.share_card,
        name="share_card",
    ),
    path("p/<slug:code>", views.tracked_link, name="tracked_link"),
    path("petitions/<slug:slug>/qr.<str:kind>", views.qr_code, name="qr"),
    path("oembed", oembed.oembed, name="oembed"),
    path("embed.js", oembed.embed_script, name="embed_script"),
]
