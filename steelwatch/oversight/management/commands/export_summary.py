"""`steelwatch export-summary --campaign ID FILE.xlsx|FILE.pdf`: 附件1 of a campaign, as Excel or red-header PDF."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from steelwatch.oversight.models import Campaign
from steelwatch.oversight.services.documents import summary_pdf
from steelwatch.oversight.summary import summary_rows, summary_workbook


class Command(BaseCommand):
    help = "导出专项行动的“发现问题企业及整改情况汇总表”（附件1），.xlsx 或红头 .pdf"

    def add_arguments(self, parser):
        parser.add_argument("--campaign", type=int, required=True, help="专项行动编号")
        parser.add_argument("file", help="输出文件（.xlsx 或 .pdf）")

    def handle(self, *args, campaign: int, file: str, **options):
        target = Path(file)
        if target.suffix.lower() not in {".xlsx", ".pdf"}:
            raise CommandError("输出文件应为 .xlsx 或 .pdf")
        found = Campaign.objects.select_related("division").filter(pk=campaign).first()
        if found is None:
            raise CommandError(f"专项行动 {campaign} 不存在")
        rows = summary_rows(found.division.prefix, found.starts_on, found.ends_on)
        if target.suffix.lower() == ".xlsx":
            summary_workbook(target, rows)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(summary_pdf(found, rows))
        self.stdout.write(f"已写入 {target.name}（{len(rows)} 行）")
