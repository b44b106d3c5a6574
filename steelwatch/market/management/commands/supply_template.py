from django.core.management.base import BaseCommand

from steelwatch.market.supply_excel import write_supply_template


class Command(BaseCommand):
    help = "生成进货查验记录 / 钢坯来源导入模板：steelwatch supply-template FILE.xlsx"

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **opts):
        self.stdout.write(f"已生成进货记录导入模板：{write_supply_template(opts['file'])}")
