from django.core.management.base import BaseCommand, CommandError

from steelwatch.geo.models import Division
from steelwatch.registry.ledger_excel import write_ledger_template


class Command(BaseCommand):
    help = "生成空白台账导入模板（含“说明”工作表和下拉选项）：steelwatch ledger-template FILE.xlsx [--division CODE]"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--division", default="", help="附上该区划下的行政区划代码表")

    def handle(self, *args, **opts):
        division = None
        if opts["division"]:
            division = Division.objects.filter(code=opts["division"]).first()
            if division is None:
                raise CommandError(f"行政区划代码 {opts['division']} 不存在")
        path = write_ledger_template(opts["file"], division=division)
        self.stdout.write(f"已生成台账导入模板：{path}")
