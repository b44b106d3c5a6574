"""Deadline reminders of cases."""

import datetime

from django.db import transaction

from steelwatch.core.notify import notify
from steelwatch.core.workdays import add_working_days

from ..models import (
    Case,
    JointTask,
    Reminder,
)
from ._common import REMIND_WORKING_DAYS, S, _event, _managers, _today, case_url

# --- deadlines --------------------------------------------------------------------------------------------


def case_reminders(*, today: datetime.date | None = None) -> dict:
    """Remind of verification deadlines near, and mark the overdue ones; at most once per case, kind and day."""
    today = _today(today)
    soon = add_working_days(today, REMIND_WORKING_DAYS)
    sent = {"reminder": 0, "overdue": 0}
    for case in Case.objects.filter(state=S.VERIFYING, verify_due__isnull=False, verify_due__lte=soon):
        kind = "overdue" if case.verify_due < today else "reminder"
        with transaction.atomic():
            _reminder, created = Reminder.objects.get_or_create(case=case, kind=kind, day=today)
            if not created:
                continue
            open_owners = [t.owner for t in case.tasks.filter(status=JointTask.Status.OPEN) if t.owner]
            text = (
                f"案件 #{case.pk} 核查已超期（期限 {case.verify_due:%Y-%m-%d}）"
                if kind == "overdue"
                else f"案件 #{case.pk} 核查将于 {case.verify_due:%Y-%m-%d} 到期"
            )
            notify(_managers(case) + open_owners, f"{text}：{case.title}", case_url(case))
            if kind == "overdue":
                _event(case, None, "overdue", text)
            sent[kind] += 1
    return sent
