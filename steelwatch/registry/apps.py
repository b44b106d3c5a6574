from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "steelwatch.registry"
    label = "registry"
    verbose_name = "台账"
