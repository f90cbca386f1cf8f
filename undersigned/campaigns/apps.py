from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "undersigned.campaigns"
    verbose_name = _("Campaigns")

    def ready(self) -> None:
        # Its receivers record every membership (role) change, whatever code path made it.
        from undersigned.campaigns import audit_trail  # noqa: F401
