from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "undersigned.proposals"
    verbose_name = _("Petitions from the public")

    def ready(self) -> None:
        # "Manage my data" finds a proposer's and a sponsor's data through this registry.
        from undersigned.core import personal_data
        from undersigned.proposals.personal_data import erase_personal_data, export_personal_data

        personal_data.register(
            "public_petitions",
            label=_("Public petitions you drafted or sponsored"),
            export=export_personal_data,
            erase=erase_personal_data,
        )
