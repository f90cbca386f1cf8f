"""Mounted under /staff/ by undersigned.staff.urls (namespace "staff:moderation")."""

app_name = "moderation"
urlpatterns: list = []
