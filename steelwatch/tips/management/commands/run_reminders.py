"""`steelwatch run-reminders [--date YYYY-MM-DD]`: every periodic reminder in one call, for cron or the demo loop.

Runs the case deadlines (`case_reminders`) and the tip deadlines (`tips.services.tip_send_reminders`) in this
process; each is idempotent per day, so running it every few minutes sends nothing twice. It also does the
jobs' housekeeping (core/jobs.py): jobs whose worker died are failed, and uploaded files past their job's
retention period (settings.UPLOAD_RETENTION_DAYS) are removed.
"""

from steelwatch.cases.services import case_reminders
from steelwatch.core.commands import DatedCommand
from steelwatch.core.jobs import jobs_expire_files, jobs_reap
from steelwatch.tips.services import tip_send_reminders


class Command(DatedCommand):
    help = "运行全部定期提醒：案件核查期限、举报办理期限（同一天重复运行不会重复提醒）"

    def handle_day(self, today):
        cases = case_reminders(today=today)
        tips = tip_send_reminders(today=today)
        reaped, removed = jobs_reap(), jobs_expire_files()
        self.stdout.write(
            f"案件：提醒 {cases['reminder']} 条，超期 {cases['overdue']} 条；举报：提醒 {tips} 条；"
            f"中断任务 {reaped} 个，过期上传文件 {removed} 个"
        )
