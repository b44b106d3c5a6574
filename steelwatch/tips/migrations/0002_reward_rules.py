"""The default reward scale (the city office may change it): amounts in yuan, capped at 500,000."""

from decimal import Decimal

from django.db import migrations

RULES = [
    ("producing_site", "查实正在生产的“地条钢”窝点", Decimal("300000")),
    ("idle_restartable", "查实停产但具备恢复生产条件的“地条钢”场所", Decimal("100000")),
    ("equipment_or_sales", "查实违规中（工）频炉设备或“地条钢”产品销售", Decimal("20000")),
]


def add_rules(apps, schema_editor):
    RewardRule = apps.get_model("tips", "RewardRule")
    for code, name, amount in RULES:
        RewardRule.objects.get_or_create(code=code, defaults={"name": name, "amount": amount})


def remove_rules(apps, schema_editor):
    apps.get_model("tips", "RewardRule").objects.filter(code__in=[r[0] for r in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("tips", "0001_initial")]
    operations = [migrations.RunPython(add_rules, remove_rules)]
