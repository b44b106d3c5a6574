"""`steelwatch tip-reminders [--date YYYY-MM-DD]`: tip hand-off and verification deadline reminders."""

from steelwatch.core.commands import DatedCommand
from steelwatch.tips.services import tip_send_reminders


class Command(DatedCommand):
    help = "提醒举报交办（1个工作日）和核查（10个工作日）即将到期或已逾期的承办人；同一天重复运行不会重复提醒"

    def handle_day(self, today):
        sent = tip_send_reminders(today=today)
        self.stdout.write(f"已发送 {sent} 条举报期限提醒")
