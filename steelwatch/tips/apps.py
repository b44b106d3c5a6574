from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TipsConfig(AppConfig):
    name = "steelwatch.tips"
    label = "tips"
    verbose_name = _("举报")

    def ready(self):
        from steelwatch.cases.sources import register_source

        from .case_source import TIP_SOURCE

        register_source(TIP_SOURCE)
