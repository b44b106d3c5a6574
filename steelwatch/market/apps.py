from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketConfig(AppConfig):
    name = "steelwatch.market"
    label = "market"
    verbose_name = _("市场监管（抽查、进货查验、钢坯来源）")
