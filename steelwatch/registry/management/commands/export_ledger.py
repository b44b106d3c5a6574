from django.core.management.base import BaseCommand, CommandError

from steelwatch.geo.models import Division
from steelwatch.registry.ledger_excel import export_ledger
from steelwatch.registry.models import Enterprise


class Command(BaseCommand):
    help = "导出台账（与导入模板相同的工作表和表头）：steelwatch export-ledger FILE.xlsx [--division CODE]"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--division", default="", help="只导出该行政区划（含下级）的企业")

    def handle(self, *args, **opts):
        enterprises = Enterprise.objects.all()
        if opts["division"]:
            division = Division.objects.filter(code=opts["division"]).first()
            if division is None:
                raise CommandError(f"行政区划代码 {opts['division']} 不存在")
            enterprises = enterprises.filter(division__code__startswith=division.prefix)
        path = export_ledger(opts["file"], enterprises)
        self.stdout.write(f"已导出 {enterprises.count()} 家企业：{path}")
