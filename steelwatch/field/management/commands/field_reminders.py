"""`steelwatch field-reminders [--date YYYY-MM-DD]`: field work's periodic step alone (it also runs in
`steelwatch run-reminders`): hazards past their six months to closure cases, stale cameras, draws due for
publication. Safe to run many times a day."""

from steelwatch.core.commands import DatedCommand
from steelwatch.field.services.reminders import field_reminders


class Command(DatedCommand):
    help = "现场监管的定期处理：重大隐患逾期转关停案件、视频截图过期标记、抽取结果到期公示"

    def handle_day(self, today):
        self.stdout.write(field_reminders(today))
