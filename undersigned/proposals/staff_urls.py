"""The moderation queue, mounted under /staff/ (namespace "staff:proposals")."""

app_name = "proposals"
urlpatterns: list = []
