from django.apps import AppConfig


class PowerConfig(AppConfig):
    name = "steelwatch.power"
    label = "power"
    verbose_name = "用电监测"
