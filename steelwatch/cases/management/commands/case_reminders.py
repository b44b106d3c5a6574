"""`steelwatch case-reminders [--date YYYY-MM-DD]`: remind of verification deadlines; safe to run many times a day."""

from steelwatch.cases.services import case_reminders
from steelwatch.core.commands import DatedCommand


class Command(DatedCommand):
    help = "核查期限提醒与超期标记（同一案件每天最多提醒一次）"

    def handle_day(self, today):
        sent = case_reminders(today=today)
        self.stdout.write(f"提醒 {sent['reminder']} 条，超期 {sent['overdue']} 条")
