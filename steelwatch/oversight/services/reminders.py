"""Oversight deadlines in the daily reminder run: tasks and reports due within 2 days or overdue, pledges
unsigned at the due date, rectifications past their deadline. Idempotent per day (`reminded_on`)."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from steelwatch.core.notify import notify, stored_language, users_with

from ..models import Rectification, ReportSubmission, TaskUnit

AHEAD_DAYS = 2


def oversight_reminders(*, today: datetime.date | None = None) -> dict:
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=AHEAD_DAYS)
    counts = {"tasks": 0, "reports": 0, "rectifications": 0}
    with stored_language():
        units = (
            TaskUnit.objects.filter(state=TaskUnit.State.OPEN, task__due_on__lte=horizon)
            .exclude(reminded_on=today)
            .select_related("task", "task__campaign")
        )
        for unit in units:
            late = unit.task.due_on < today
            text = (
                _("任务已超期：%(title)s（%(due)s到期）")
                if late
                else _("任务即将到期：%(title)s（%(due)s到期）")
            ) % {"title": unit.task.title[:80], "due": unit.task.due_on.isoformat()}
            notify(
                users_with("oversight.report", unit.division_id),
                text,
                f"/oversight/campaigns/{unit.task.campaign_id}/",
            )
            unit.reminded_on = today
            unit.save(update_fields=["reminded_on"])
            counts["tasks"] += 1
        missing = (
            ReportSubmission.objects.filter(submitted_at__isnull=True, round__due_on__lte=horizon)
            .exclude(reminded_on=today)
            .select_related("round__campaign", "division")
        )
        for row in missing:
            late = row.round.due_on < today
            text = (
                _("报送已逾期：%(title)s（应于%(due)s前报送）")
                if late
                else _("请按时报送：%(title)s（%(due)s前）")
            ) % {"title": row.round.title[:80], "due": row.round.due_on.isoformat()}
            notify(
                users_with("oversight.report", row.division_id), text, f"/oversight/reports/{row.round_id}/"
            )
            if late:
                notify(
                    users_with("oversight.manage", row.round.campaign.division_id),
                    _("%(unit)s未按时报送：%(title)s")
                    % {"unit": row.division.name, "title": row.round.title[:80]},
                    f"/oversight/reports/{row.round_id}/",
                )
            row.reminded_on = today
            row.save(update_fields=["reminded_on"])
            counts["reports"] += 1
        overdue = Rectification.objects.filter(
            state__in=(Rectification.State.ISSUED, Rectification.State.REJECTED), due_on__lt=today
        ).exclude(reminded_on=today)
        for order in overdue:
            notify(
                users_with("oversight.report", order.division_id),
                _("整改已超期：%(reason)s（%(due)s到期）")
                % {"reason": order.reason[:60], "due": order.due_on.isoformat()},
                f"/oversight/units/{order.division_id}/",
            )
            order.reminded_on = today
            order.save(update_fields=["reminded_on"])
            counts["rectifications"] += 1
    return counts


def reminder_summary(today: datetime.date | None) -> str:
    counts = oversight_reminders(today=today)
    return f"督查：任务 {counts['tasks']} 条，报送 {counts['reports']} 条，整改 {counts['rectifications']} 条"
