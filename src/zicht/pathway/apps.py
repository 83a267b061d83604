from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PathwayConfig(AppConfig):
    name = "zicht.pathway"
    label = "pathway"
    verbose_name = _("Referral pathway")
