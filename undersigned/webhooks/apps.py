from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "undersigned.webhooks"
    verbose_name = _("Webhooks")

    def ready(self) -> None:
        from undersigned.webhooks import receivers  # noqa: F401 - connects the signal receivers
