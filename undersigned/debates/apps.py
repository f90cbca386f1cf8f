from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DebatesConfig(AppConfig):
    name = "undersigned.debates"
    verbose_name = _("Debates")

    def ready(self) -> None:
        # "Manage my data" finds a contributor's arguments through this registry.
        from undersigned.core import personal_data
        from undersigned.debates.personal_data import erase_personal_data, export_personal_data

        personal_data.register(
            "debate_contributions",
            label=_("Arguments you submitted to debates"),
            export=export_personal_data,
            erase=erase_personal_data,
        )
