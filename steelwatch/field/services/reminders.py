"""Field work's periodic step (in `steelwatch run-reminders` through core.reminders, and alone as
`steelwatch field-reminders`): hazards past their six months escalated to closure cases, cameras with a stale
snapshot marked, and run draws not yet published by their deadline published (一公开). Idempotent."""

import datetime

from django.db import transaction
from django.utils import timezone

from steelwatch.core.services import audited_update

from ..models import Draw
from .safety import hazards_escalate_due
from .support import cameras_mark_stale


@transaction.atomic
def draws_publish_due(*, today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    due = Draw.objects.select_for_update().filter(
        status=Draw.Status.RUN, published=False, publish_by__lte=today
    )
    for draw in due:
        audited_update(
            actor=None, instance=draw, changes={"published": True}, action="draw_publish",
            reason="公示期限已到，自动公示", division_code=draw.division_id,
        )  # fmt: skip
    return len(due)


def field_reminders(today: datetime.date | None = None) -> str:
    escalated = hazards_escalate_due(today=today)
    stale = cameras_mark_stale()
    published = draws_publish_due(today=today)
    return f"现场监管：重大隐患逾期转关停案件 {escalated} 个，画面未更新的摄像头 {stale} 个，到期自动公示的抽取 {published} 次"
