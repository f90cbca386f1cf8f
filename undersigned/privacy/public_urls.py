"""The signer's own pages: the privacy notice and "manage my data" (namespace "privacy_public").

Every "manage my data" page lives under /my-data/, the path its session cookie is scoped to.
"""

from django.urls import path

from undersigned.privacy.my_data import views as my_data_views

app_name = "privacy_public"
urlpatterns = [
    path("my-data/", my_data_views.request_link, name="my_data"),
    path("my-data/check-your-email/", my_data_views.link_sent, name="my_data_sent"),
    path("my-data/link/<str:token>/", my_data_views.open_link, name="my_data_link"),
    path("my-data/you/", my_data_views.manage, name="my_data_manage"),
    path("my-data/you/withdraw/", my_data_views.withdraw, name="my_data_withdraw"),
    path("my-data/you/unsubscribe/", my_data_views.unsubscribe, name="my_data_unsubscribe"),
    path("my-data/you/my-data.json", my_data_views.download, name="my_data_download"),
    path("my-data/you/erase/", my_data_views.erase, name="my_data_erase"),
    path("my-data/sign-out/", my_data_views.sign_out, name="my_data_sign_out"),
    path("my-data/erased/", my_data_views.erased, name="my_data_erased"),
]
