"""`steelwatch case-reminders [--date YYYY-MM-DD]`: remind of verification deadlines; safe to run many times a day."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from steelwatch.cases.services import case_reminders


class Command(BaseCommand):
    help = "核查期限提醒与超期标记（同一案件每天最多提醒一次）"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按此日期计算（YYYY-MM-DD，默认今天）")

    def handle(self, *args, date=None, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else None
        except ValueError as exc:
            raise CommandError(f"--date 应为 YYYY-MM-DD，实际为 {date!r}") from exc
        sent = case_reminders(today=today)
        self.stdout.write(f"提醒 {sent['reminder']} 条，超期 {sent['overdue']} 条")
