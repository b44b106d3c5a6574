"""`steelwatch judge-samples FILE.xlsx [--json]`: judge every row of a lab-results workbook; exit 0 only when ok."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from steelwatch.market.lab_excel import judge_workbook
from steelwatch.market.models import Sample
from steelwatch.market.selectors import sample_context, sample_recorded


class Records:
    """The sampling records, when the database holds them (not on a lab's own machine, never migrated):
    asked once, and only when a row needs them."""

    def __init__(self):
        self._present: bool | None = None

    def present(self) -> bool:
        if self._present is None:
            self._present = Sample._meta.db_table in connection.introspection.table_names()
        return self._present

    def context(self, code: str):
        return sample_context(code) if self.present() else (None, [])

    def recorded(self, code: str):
        return sample_recorded(code) if self.present() else None


class Command(BaseCommand):
    help = (
        "按 GB/T 1499.2-2018 / GB/T 1499.1-2017 判定检验结果表（工作表“检验结果”）中的每个样品；"
        "任何单元格有误则退出码非0"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Excel 文件（.xlsx）")
        parser.add_argument(
            "--json",
            action="store_true",
            help='只输出一个 JSON 对象：{"ok", "results": [{"row", "sample", "verdict", "failed", "suspect", '
            '"reasons"}], "errors": [{"sheet", "row", "column", "message"}]}',
        )

    def handle(self, *args, **opts):
        records = Records()
        judged = judge_workbook(opts["file"], context=records.context, recorded=records.recorded)
        if opts["json"]:
            self.stdout.write(json.dumps(judged.as_dict(), ensure_ascii=False))
        else:
            for result in judged.results:
                verdict = result.verdict
                line = f"第{result.row}行 {result.sample}：{'合格' if verdict.conforming else '不合格'}"
                if verdict.failed:
                    line += "（" + "；".join(str(f) for f in verdict.failed) + "）"
                if result.reasons:
                    line += " 疑似“地条钢”：" + "；".join(result.reasons)
                self.stdout.write(line)
            for error in judged.errors:
                self.stdout.write(f"  {error}")
        if not judged.ok:
            raise CommandError(f"检验结果表未通过校验（{len(judged.errors)} 处错误）", returncode=1)
