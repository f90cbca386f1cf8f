from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "undersigned.audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from undersigned.audit import signals  # noqa: F401  (connects the sign-in receivers)
