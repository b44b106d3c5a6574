from django.apps import AppConfig


class TipsConfig(AppConfig):
    name = "steelwatch.tips"
    label = "tips"
    verbose_name = "举报"
