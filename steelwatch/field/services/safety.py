"""安全生产回头看: a listed major hazard found at a plant gets six months to fix; a re-inspection closes it,
and one still open past its deadline is escalated to a closure case (`steelwatch field-reminders`)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steelwatch.cases.services import case_open
from steelwatch.core.access import require
from steelwatch.core.services import audited_create, audited_update
from steelwatch.registry.models import Enterprise

from ..models import CapacityCut, Hazard, HazardFinding

FIX_MONTHS = 6


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=d)
        except ValueError:
            continue
    raise ValueError(day)


def hazard_record(
    *, actor, enterprise: Enterprise, hazard: str, found_on: datetime.date, note: str = ""
) -> HazardFinding:
    require(actor, "field.manage")
    if hazard not in Hazard.values:
        raise ValidationError({"hazard": _("不是所列的重大隐患")})
    return audited_create(
        actor=actor,
        instance=HazardFinding(
            enterprise=enterprise, hazard=hazard, found_on=found_on,
            deadline=add_months(found_on, FIX_MONTHS), note=note.strip(), recorded_by=actor,
        ),
        action="hazard_record",
        division_code=enterprise.division_id,
    )  # fmt: skip


def hazard_reinspect(
    *, actor, finding: HazardFinding, fixed: bool, on: datetime.date, note: str = ""
) -> HazardFinding:
    require(actor, "field.manage")
    if finding.status != HazardFinding.Status.OPEN:
        raise ValidationError({"status": _("该隐患已不在整改中")})
    changes: dict = {"reinspected_on": on, "reinspection_note": note.strip()}
    if fixed:
        changes["status"] = HazardFinding.Status.FIXED
    return audited_update(
        actor=actor, instance=finding, changes=changes, action="hazard_reinspect",
        division_code=finding.enterprise.division_id,
    )  # fmt: skip


@transaction.atomic
def hazards_escalate_due(*, today: datetime.date | None = None) -> int:
    """Open a closure case (system action) for every hazard still open past its deadline; returns how many."""
    today = today or timezone.localdate()
    due = (
        HazardFinding.objects.select_for_update()
        .filter(status=HazardFinding.Status.OPEN, deadline__lt=today)
        .select_related("enterprise")
    )
    count = 0
    for finding in due:
        plant = finding.enterprise
        case = case_open(
            actor=None,
            title=f"重大隐患逾期未整改，依法关闭：{plant.name}"[:200],
            source="patrol",
            source_ref=f"hazard:{finding.pk}",
            division_code=plant.division_id,
            enterprise=plant,
            address=plant.address,
            description=(
                f"安全生产回头看：{finding.get_hazard_display()}（发现于 {finding.found_on}，整改期限 "
                f"{finding.deadline}）逾期未整改。{finding.note}"
            ),
        )
        audited_update(
            actor=None, instance=finding, action="hazard_escalate", reason=f"案件 #{case.pk}",
            changes={"status": HazardFinding.Status.ESCALATED, "case": case},
            division_code=plant.division_id,
        )  # fmt: skip
        count += 1
    return count


@transaction.atomic
def capacity_cut_list(
    *, actor, enterprise: Enterprise, document: str, listed_on: datetime.date, deadline: datetime.date
) -> CapacityCut:
    """Put a plant on the capacity-reduction list and open its cut-off-and-dismantle case (its power accounts
    linked, so the case's cut orders and closure checks are its tasks)."""
    require(actor, "field.manage")
    if deadline < listed_on:
        raise ValidationError({"deadline": _("完成期限不能早于列入日期")})
    if CapacityCut.objects.filter(enterprise=enterprise).exists():
        raise ValidationError({"enterprise": _("该企业已在压减产能名单中")})
    case = case_open(
        actor=actor,
        title=f"压减产能：断电、拆除设备 {enterprise.name}"[:200],
        source="patrol",
        source_ref=f"capacity_cut:{enterprise.uscc}",
        division_code=enterprise.division_id,
        enterprise=enterprise,
        address=enterprise.address,
        description=f"列入压减产能名单（{document.strip()}），限 {deadline} 前完成断电和设备拆除。",
    )
    return audited_create(
        actor=actor,
        instance=CapacityCut(
            enterprise=enterprise, document=document.strip(), listed_on=listed_on, deadline=deadline,
            case=case, listed_by=actor,
        ),
        action="capacity_cut_list",
        division_code=enterprise.division_id,
    )  # fmt: skip
