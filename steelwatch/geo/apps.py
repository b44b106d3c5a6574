from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "steelwatch.geo"
    label = "geo"
    verbose_name = "行政区划与网格"
