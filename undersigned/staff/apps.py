from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    name = "undersigned.staff"
    verbose_name = _("Staff")

    def ready(self) -> None:
        from undersigned.staff import receivers  # noqa: F401 - connects the receivers
