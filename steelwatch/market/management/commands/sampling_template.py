from django.core.management.base import BaseCommand

from steelwatch.market.lab_excel import write_lab_template


class Command(BaseCommand):
    help = "生成监督抽查检验结果表模板（工作表“检验结果”及“说明”）：steelwatch sampling-template FILE.xlsx"

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **opts):
        self.stdout.write(f"已生成检验结果表模板：{write_lab_template(opts['file'])}")
