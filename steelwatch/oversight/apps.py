from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "steelwatch.oversight"
    label = "oversight"
    verbose_name = "督查考核"

    def ready(self):
        from steelwatch.core.reminders import register_reminder

        from . import metrics  # noqa: F401  (registers the built-in metrics and report figures)
        from .services.reminders import reminder_summary

        register_reminder("oversight", reminder_summary)
