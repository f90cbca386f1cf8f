from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaperConfig(AppConfig):
    name = "undersigned.paper"
    verbose_name = _("Paper signatures")

    def ready(self) -> None:
        from undersigned.core import personal_data
        from undersigned.paper.personal_data import erase_personal_data, export_personal_data

        personal_data.register(
            "paper_signatures",
            label=_("Signatures on paper"),
            export=export_personal_data,
            erase=erase_personal_data,
        )
