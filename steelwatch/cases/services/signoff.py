"""What the closure sign-off schedules: the revisits (回头看) and who does them."""

import calendar
import datetime

from django.urls import reverse

from steelwatch.accounts.models import User
from steelwatch.accounts.roles import Role
from steelwatch.core.notify import notify
from steelwatch.registry.models import Enterprise
from steelwatch.registry.services import enterprise_update, power_account_update

from ..models import (
    Case,
    Revisit,
)
from ._common import REVISIT_MONTHS, Context, _event


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def revisit_assignee(enterprise: Enterprise | None, division_code: str) -> User | None:
    """The grid officer of the site's grid; else a user of the site's township."""
    if enterprise is not None and enterprise.grid_id:
        officer = User.objects.filter(
            grid_id=enterprise.grid_id, role=Role.GRID_OFFICER, is_active=True
        ).first()
        if officer:
            return officer
    township = (enterprise.division_id if enterprise else division_code)[:9]
    return (
        User.objects.filter(
            is_active=True, division__code=township, role__in=[Role.GRID_OFFICER, Role.TOWNSHIP]
        )
        .order_by("role", "pk")
        .first()
    )


def _after_signoff(case: Case, ctx: Context) -> None:
    """The ledger follows the closure: enterprise closed/banned, its power watched, revisits scheduled."""
    enterprise, actor = case.enterprise, ctx.actor
    if enterprise is not None:
        enterprise_update(
            actor=actor,
            enterprise=enterprise,
            status=ctx.closure_kind,
            reason=f"案件 #{case.pk} 取缔验收签字",
        )
    accounts = set(case.power_accounts.all()) | set(enterprise.power_accounts.all() if enterprise else [])
    for account in accounts:
        power_account_update(
            actor=actor, account=account, closed_site_watch=True, reason=f"案件 #{case.pk} 关停场所用电监视"
        )
    assignee = revisit_assignee(enterprise, case.division_id)
    division = enterprise.division_id if enterprise else case.division_id
    for months in REVISIT_MONTHS:
        Revisit.objects.create(
            case=case,
            enterprise=enterprise,
            division_id=division,
            assignee=assignee,
            due_date=_add_months(ctx.today, months),
        )
    _event(
        case,
        actor,
        "closure",
        f"验收签字：{Enterprise.Status(ctx.closure_kind).label}；"
        f"安排回头看 {len(REVISIT_MONTHS)} 次（{'、'.join(f'{m}个月' for m in REVISIT_MONTHS)}）",
    )
    if assignee:
        notify(
            [assignee], f"回头看任务：案件 #{case.pk} {case.address or case.title}", reverse("cases:my_tasks")
        )
