"""`steelwatch run-reminders [--date YYYY-MM-DD]`: every periodic reminder in one call, for cron or the demo loop.

Runs the case deadlines (`case_reminders`), the tip deadlines (`tips.services.tip_send_reminders`) and the
production-licence warnings (`registry.licences.licence_reminders`: renewal due 6 months before expiry, expiry) in
this process; each is idempotent per day, so running it every few minutes sends nothing twice. It also does the
jobs' housekeeping (core/jobs.py): jobs whose worker died are failed, and uploaded files past their job's
retention period (settings.UPLOAD_RETENTION_DAYS) are removed. Apps above tips add their own reminders through
the registry in core/reminders.py (the oversight app: deadlines of tasks, reports, rectifications; the credit
app: entries removed at the end of their period, publications due).
"""

from steelwatch.cases.services import case_reminders
from steelwatch.core.commands import DatedCommand
from steelwatch.core.jobs import jobs_expire_files, jobs_reap
from steelwatch.core.reminders import run_registered
from steelwatch.registry.licences import licence_reminders
from steelwatch.tips.services import tip_send_reminders


class Command(DatedCommand):
    help = "运行全部定期提醒：案件核查期限、举报办理期限、生产许可证延续与到期（同一天重复运行不会重复提醒）"

    def handle_day(self, today):
        cases = case_reminders(today=today)
        tips = tip_send_reminders(today=today)
        licences = licence_reminders(today=today)
        reaped, removed = jobs_reap(), jobs_expire_files()
        lines = [
            f"案件：提醒 {cases['reminder']} 条，超期 {cases['overdue']} 条",
            f"举报：提醒 {tips} 条",
            f"生产许可证：延续提醒 {licences['renewal']} 条，到期 {licences['expired']} 条，"
            f"整改逾期 {licences['rectification']} 条",
            *run_registered(today),
            f"中断任务 {reaped} 个，过期上传文件 {removed} 个",
        ]
        self.stdout.write("；".join(lines))
