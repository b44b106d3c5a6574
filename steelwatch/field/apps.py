from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldConfig(AppConfig):
    name = "steelwatch.field"
    label = "field"
    verbose_name = _("网格巡查与双随机")

    def ready(self):
        from steelwatch.core.reminders import register_reminder
        from steelwatch.tips.services import on_reward_paid

        from .services.reminders import field_reminders
        from .services.support import spending_book_reward

        on_reward_paid(spending_book_reward)
        register_reminder("field", field_reminders)
