"""`steelwatch verify-draw FILE`: recompute a downloaded draw record; exit 0 only when everything matches."""

import json
import sys

from django.core.management.base import BaseCommand

from steelwatch.field.sortition import verify_record


class Command(BaseCommand):
    help = "核验双随机抽取记录（JSON）：重新计算哈希、承诺值、种子和抽取结果，全部一致时退出码为 0"
    requires_system_checks: list = []

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            with open(file, encoding="utf-8") as handle:
                record = json.load(handle)
        except (OSError, ValueError) as exc:
            self.stderr.write(f"无法读取抽取记录：{exc}")
            sys.exit(2)
        problems = verify_record(record) if isinstance(record, dict) else ["记录应为 JSON 对象"]
        if problems:
            for problem in problems:
                self.stderr.write(f"不一致：{problem}")
            self.stderr.write("核验未通过 (does not match)")
            sys.exit(1)
        self.stdout.write(f"核验通过：抽取记录 #{record.get('id')} 与重新计算的结果一致 (matches)")
