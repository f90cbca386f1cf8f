from django.urls import path, register_converter

from undersigned.transparency import views


class LeafHash:
    regex = "[0-9a-f]{64}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(LeafHash, "hex")

app_name = "transparency"
urlpatterns = [
    path("log/<slug:slug>/", views.checkpoints, name="checkpoints"),
    path("log/<slug:slug>/checkpoint", views.checkpoint, name="checkpoint"),
    path("log/<slug:slug>/checkpoint/<int:size>", views.old_checkpoint, name="old_checkpoint"),
    path("log/<slug:slug>/tile/<path:path>", views.tile, name="tile"),
    path("log/<slug:slug>/leaf/<hex:leaf_hash>", views.leaf, name="leaf"),
    path("log/<slug:slug>/verify", views.verify_page, name="verify"),
    path(".well-known/undersigned-log-key", views.log_key, name="log_key"),
]
