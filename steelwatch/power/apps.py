from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PowerConfig(AppConfig):
    name = "steelwatch.power"
    label = "power"
    verbose_name = _("用电监测")

    def ready(self):
        from steelwatch.cases.sources import register_source

        from .case_source import ALERT_SOURCE

        register_source(ALERT_SOURCE)
