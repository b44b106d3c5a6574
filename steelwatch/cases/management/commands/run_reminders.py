"""`steelwatch run-reminders [--date YYYY-MM-DD]`: every periodic reminder in one call, for cron or the demo loop.

Runs the case deadlines (`case_reminders`) and the tip deadlines (`tips.services.tip_send_reminders`) in this
process, then those other apps register (core/reminders.py); each is idempotent per day, so running it every few minutes sends nothing twice.
"""

from steelwatch.cases.services import case_reminders
from steelwatch.core.commands import DatedCommand
from steelwatch.core.reminders import run_registered
from steelwatch.tips.services import tip_send_reminders


class Command(DatedCommand):
    help = "运行全部定期提醒：案件核查期限、举报办理期限（同一天重复运行不会重复提醒）"

    def handle_day(self, today):
        cases = case_reminders(today=today)
        tips = tip_send_reminders(today=today)
        self.stdout.write(
            "；".join(
                [f"案件：提醒 {cases['reminder']} 条，超期 {cases['overdue']} 条", f"举报：提醒 {tips} 条"]
                + run_registered(today)
            )
        )
