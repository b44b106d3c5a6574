from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "steelwatch.core"
    label = "core"
    verbose_name = "基础"
