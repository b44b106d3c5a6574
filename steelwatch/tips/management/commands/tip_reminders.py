import datetime

from django.core.management.base import BaseCommand, CommandError

from steelwatch.tips.services import tip_send_reminders


class Command(BaseCommand):
    help = "提醒举报交办（1个工作日）和核查（10个工作日）即将到期或已逾期的承办人；同一天重复运行不会重复提醒"

    def add_arguments(self, parser):
        parser.add_argument("--date", default="", help="按该日期计算（YYYY-MM-DD，默认今天）")

    def handle(self, *args, **options):
        try:
            today = datetime.date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError:
            raise CommandError(f"--date 应为 YYYY-MM-DD，实际为“{options['date']}”") from None
        sent = tip_send_reminders(today=today)
        self.stdout.write(f"已发送 {sent} 条举报期限提醒")
