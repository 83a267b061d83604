from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WegwijzerConfig(AppConfig):
    name = "zicht.wegwijzer"
    label = "wegwijzer"
    verbose_name = _("Wegwijzer (public reporting guide)")
