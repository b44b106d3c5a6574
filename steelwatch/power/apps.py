from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PowerConfig(AppConfig):
    name = "steelwatch.power"
    label = "power"
    verbose_name = _("用电监测")
