"""The signer's own pages: the privacy notice and "manage my data" (namespace "privacy_public")."""

app_name = "privacy_public"
urlpatterns: list = []
