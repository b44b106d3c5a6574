"""Closure by the five checks: their status and evidence."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from steelwatch.core import evidence
from steelwatch.core.access import user_covers_division
from steelwatch.core.notify import stored_language
from steelwatch.registry.models import Furnace
from steelwatch.registry.services import furnace_update

from ..models import (
    Case,
    ClosureCheck,
    ClosureItem,
    CutOrder,
)
from ._common import _attach, _event, _files_atomic
from .actions import _require_action

# --- closure by the five checks ---------------------------------------------------------------------------


def closure_status(case: Case) -> list[dict]:
    """Each of the five checks in the current round: its record, evidence and what is still missing."""
    items = {
        i.item: i
        for i in case.closure_items.filter(round=case.closure_round)
        .prefetch_related("attachments", "furnaces")
        .select_related("witnessed_by")
    }
    rows = []
    for check in ClosureCheck:
        item = items.get(check.value)
        evidence = list(item.attachments.all()) if item else []
        missing, left = ("" if evidence else _("“{label}”缺少证据").format(label=check.label)), []
        if not missing and check == ClosureCheck.EQUIPMENT_DESTROYED and case.enterprise is not None:
            left = [f.number for f in case.enterprise.furnaces.exclude(status=Furnace.Status.DESTROYED)]
            if left:
                missing = _("“{label}”未列明台账设备：{value}").format(
                    label=check.label, value="、".join(left)
                )
        # `missing` names the check (for messages and the API); a page showing the name uses `left` and `evidence`.
        rows.append(
            {
                "item": check.value,
                "label": check.label,
                "record": item,
                "evidence": evidence,
                "missing": missing,
                "left": left,
            }
        )
    return rows


def closure_evidence_add(
    *,
    actor,
    case: Case,
    item: str,
    upload,
    note: str = "",
    witnessed_by=None,
    witnessed_on: datetime.date | None = None,
    furnace_ids=(),
    exception_reason: str = "",
) -> ClosureItem:
    """Evidence for one of the five checks: a photo or document, and the officer who saw it on site.

    Each check needs evidence of its own, from on or after the day the power or water was cut: a file already
    given for another check of this round, a witness date before the cut, or a photo whose capture time is before
    it, is refused unless `exception_reason` records why (kept on the attachment and in the case's history).
    For `equipment_destroyed`, the furnaces named (of the case's enterprise) change to destroyed in the
    ledger, dated the day they were seen destroyed.
    """
    _require_action(actor, case, "closure_evidence")
    if item not in ClosureCheck.values:
        raise ValidationError(
            {
                "item": _("验收项“{item}”无效，可选：{value}").format(
                    item=item, value="、".join(ClosureCheck.values)
                )
            }
        )
    witness = witnessed_by or actor
    if not user_covers_division(witness, case.division_id):
        raise ValidationError(
            {"witnessed_by": _("见证人“{witness}”不是本辖区工作人员").format(witness=witness)}
        )
    witnessed_on = witnessed_on or timezone.localdate()
    furnaces = []
    if furnace_ids:
        if item != ClosureCheck.EQUIPMENT_DESTROYED:
            raise ValidationError({"furnace_ids": _("只有“彻底捣毁生产设备”需要列明设备")})
        furnaces = list(Furnace.objects.filter(pk__in=furnace_ids, enterprise_id=case.enterprise_id))
        if not case.enterprise_id or len(furnaces) != len(set(furnace_ids)):
            raise ValidationError({"furnace_ids": _("所列设备不属于本案涉事企业的台账设备")})
    prepared = evidence.prepare(upload)
    exception_reason = exception_reason.strip()
    if not exception_reason:
        _require_own_dated_evidence(case, item, prepared, witnessed_on)
    with _files_atomic() as written, stored_language():
        record, created = ClosureItem.objects.get_or_create(
            case=case,
            item=item,
            round=case.closure_round,
            defaults={"witnessed_by": witness, "witnessed_on": witnessed_on, "note": note},
        )
        if not created and note:
            record.note = f"{record.note}\n{note}".strip()
            record.save(update_fields=["note"])
        _attach(
            written,
            actor,
            prepared,
            case=case,
            closure_item=record,
            note=note,
            exception_reason=exception_reason,
        )
        record.furnaces.add(*furnaces)
        for furnace in furnaces:
            if furnace.status != Furnace.Status.DESTROYED:
                furnace_update(
                    actor=actor,
                    furnace=furnace,
                    status=Furnace.Status.DESTROYED,
                    status_date=witnessed_on,
                    note=f"案件 #{case.pk} 取缔验收：捣毁",
                )
        label = ClosureCheck(item).label
        _event(
            case,
            actor,
            "closure",
            f"“{label}”证据：{prepared.original_name}"
            + (f"，销毁设备 {'、'.join(f.number for f in furnaces)}" if furnaces else "")
            + (f"（例外说明：{exception_reason}）" if exception_reason else ""),
            reason=note,
        )
    return record


def cut_day(case: Case) -> datetime.date | None:
    """The day the case's first power or water cut was carried out (None when none was)."""
    first = (
        case.cut_orders.filter(status=CutOrder.Status.EXECUTED, executed_at__isnull=False)
        .order_by("executed_at")
        .values_list("executed_at", flat=True)
        .first()
    )
    return timezone.localdate(first) if first else None


def _require_own_dated_evidence(
    case: Case, item: str, prepared: evidence.Prepared, witnessed_on: datetime.date
) -> None:
    other = (
        case.attachments.filter(sha256=prepared.sha256, closure_item__round=case.closure_round)
        .exclude(closure_item__item=item)
        .values_list("closure_item__item", flat=True)
        .first()
    )
    if other:
        raise ValidationError(
            {
                "file": _(
                    "该文件已作为“{label}”的证据，每一项须有各自的证据（确需共用请填写例外说明）"
                ).format(label=ClosureCheck(other).label)
            }
        )
    cut = cut_day(case)
    if cut is None:
        return
    if witnessed_on < cut:
        raise ValidationError(
            {
                "witnessed_on": _("见证日期 {day} 早于断电断水执行日 {cut}（确有理由请填写例外说明）").format(
                    day=witnessed_on, cut=cut
                )
            }
        )
    if prepared.taken_at and timezone.localdate(prepared.taken_at) < cut:
        raise ValidationError(
            {
                "file": _(
                    "照片拍摄于 {day}，早于断电断水执行日 {cut}：须为执行之后的证据（确有理由请填写例外说明）"
                ).format(day=timezone.localdate(prepared.taken_at), cut=cut)
            }
        )
