"""`steelwatch field-reminders [--date YYYY-MM-DD]`: escalate major hazards past their six months to closure
cases, and mark cameras whose last snapshot is stale. Safe to run many times a day."""

from steelwatch.core.commands import DatedCommand
from steelwatch.field.services.safety import hazards_escalate_due
from steelwatch.field.services.support import cameras_mark_stale


class Command(DatedCommand):
    help = "网格与安全回头看的定期处理：重大隐患逾期转关停案件、视频截图过期标记"

    def handle_day(self, today):
        escalated = hazards_escalate_due(today=today)
        stale = cameras_mark_stale()
        self.stdout.write(f"重大隐患逾期转案件 {escalated} 个；画面未更新的摄像头 {stale} 个")
