from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "steelwatch.cases"
    label = "cases"
    verbose_name = "案件"
