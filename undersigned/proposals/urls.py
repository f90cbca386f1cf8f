"""Public pages for petitions drafted by the public (namespace "proposals")."""

app_name = "proposals"
urlpatterns: list = []
