from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailingsConfig(AppConfig):
    name = "undersigned.mailings"
    verbose_name = _("Mailings")

    def ready(self) -> None:
        # "Manage my data" lists and erases a signer's update emails through this registry.
        from undersigned.core import personal_data
        from undersigned.mailings.personal_data import erase_personal_data, export_personal_data

        personal_data.register(
            "update_emails",
            label=_("Update emails sent to you"),
            export=export_personal_data,
            erase=erase_personal_data,
        )
