from django.contrib import admin
from django.urls import include, path, re_path

from undersigned.api.api import api
from undersigned.operations.views import metrics
from undersigned.partners.api import api as private_api
from undersigned.web.media import uploaded_photo

urlpatterns = [
    # First the paths a surge hits (the petition page, signing, count.json, confirming, the
    # embed): Django tries the patterns in order, and these match none of the others.
    path("", include("undersigned.signatures.urls")),
    path("", include("undersigned.reach.urls")),
    path("admin/", admin.site.urls),
    # Passkey ceremonies under the namespace django-otp-webauthn's scripts look up.
    path("staff/sign-in/passkey/", include("undersigned.staff.passkey_urls")),
    path("staff/", include("undersigned.staff.urls")),
    path("api/v1/", api.urls),
    path("api/private/v1/", private_api.urls),
    path("", include("undersigned.mailings.public_urls")),
    path("", include("undersigned.privacy.public_urls")),
    path("", include("undersigned.proposals.urls")),
    path("", include("undersigned.debates.urls")),
    path("", include("undersigned.transparency.urls")),
    path("", include("undersigned.web.urls")),
    # Uploaded photos (web/media.py): one folder, one plain file name, nothing else.
    re_path(
        r"^media/(?P<folder>[a-z]+)/(?P<name>[A-Za-z0-9_-][A-Za-z0-9._-]{0,150})$",
        uploaded_photo,
        name="uploaded_photo",
    ),
    # The development outbox answers 404 unless settings.DEV_OUTBOX is on.
    path("dev/", include("undersigned.notifications.urls")),
    # Prometheus (operations/views.py): 404 unless METRICS_TOKEN or METRICS_ALLOWED_NETWORKS.
    path("metrics", metrics, name="metrics"),
]

handler404 = "undersigned.web.views.not_found"
handler500 = "undersigned.web.views.server_error"
handler400 = "undersigned.web.views.bad_request"
