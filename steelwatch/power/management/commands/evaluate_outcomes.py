"""`steelwatch evaluate-outcomes [--json]`: alert precision from real inspection results."""

import json

from django.core.management.base import BaseCommand

from steelwatch.power.outcomes import outcome_table

TITLES = {"district": "按区县", "kind": "按理由类型", "band": "按评分段", "month": "按月份"}


class Command(BaseCommand):
    help = "按区县、理由类型、评分段和月份统计告警核查结果（查实 / 排除 / 未核查）与准确率"

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="输出一个 JSON 对象")

    def handle(self, *args, **options):
        table = outcome_table()
        if options["json"]:
            self.stdout.write(json.dumps(table, ensure_ascii=False))
            return
        for group, rows in table.items():
            self.stdout.write(f"== {TITLES[group]}")
            for r in rows:
                precision = "—" if r["precision"] is None else f"{r['precision']:.2f}"
                self.stdout.write(
                    f"  {r['key']}: 查实 {r['confirmed']}，排除 {r['dismissed']}，未核查 {r['unchecked']}，准确率 {precision}"
                )
