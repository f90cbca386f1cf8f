from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailingsConfig(AppConfig):
    name = "undersigned.mailings"
    verbose_name = _("Mailings")
