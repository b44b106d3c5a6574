from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditConfig(AppConfig):
    name = "steelwatch.credit"
    label = "credit"
    verbose_name = _("信用名单")

    def ready(self):
        from steelwatch.core.reminders import register_reminder
        from steelwatch.core.screening import screener_register

        from . import screening
        from .services import reminder_summary

        screener_register(screening.Port())
        register_reminder("credit", reminder_summary)
