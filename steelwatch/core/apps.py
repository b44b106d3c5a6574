from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "steelwatch.core"
    label = "core"
    verbose_name = _("基础")

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
