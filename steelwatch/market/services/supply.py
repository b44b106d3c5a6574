"""Sellers' incoming-goods records and rolling mills' billet sources: entered one by one (phone, API) or
imported from their workbook (plan → confirm, the ledger import's error contract); each record is screened at
once (screening.supply_findings) and its findings kept on it. Mills also declare the tonnes rolled per month."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steelwatch.core.access import require
from steelwatch.core.services import audited_create, audited_update
from steelwatch.core.sheets import ErrorLog, ImportResult, SheetError, SheetTable, read_workbook, sort_errors
from steelwatch.registry.access import enterprises_for
from steelwatch.registry.models import Enterprise
from steelwatch.registry.uscc import normalize_uscc, uscc_error

from ..models import MillOutput, SupplyRecord
from ..screening import supply_findings
from ..standards import PRODUCT_LABELS
from ..supply_excel import SUPPLY_SHEET, SUPPLY_SHEET_NAME
from .sampling import check_dates

FIELDS = (
    "supplier_name",
    "supplier_uscc",
    "manufacturer_name",
    "manufacturer_uscc",
    "licence_number",
    "certificate_number",
    "heat_number",
    "product",
    "grade",
    "diameter_mm",
    "tonnes",
    "received_on",
    "vehicle",
)


def _uscc(value: str, field_name: str) -> str:
    value = normalize_uscc(value or "")
    if value and (error := uscc_error(value)):
        raise ValidationError({field_name: error})
    return value


def _findings(kind: str, values: dict) -> list[str]:
    return supply_findings(
        kind=kind,
        supplier_name=values["supplier_name"],
        supplier_uscc=values.get("supplier_uscc", ""),
        manufacturer_name=values.get("manufacturer_name", ""),
        manufacturer_uscc=values.get("manufacturer_uscc", ""),
        licence_number=values.get("licence_number", ""),
        product_label=PRODUCT_LABELS.get(values.get("product", ""), ""),
        received_on=values["received_on"],
    )


@transaction.atomic
def supply_record_create(
    *,
    actor,
    holder: Enterprise,
    supplier_name: str,
    heat_number: str,
    tonnes,
    received_on: datetime.date,
    kind: str = SupplyRecord.Kind.GOODS,
    supplier_uscc: str = "",
    manufacturer_name: str = "",
    manufacturer_uscc: str = "",
    licence_number: str = "",
    certificate_number: str = "",
    product: str = "",
    grade: str = "",
    diameter_mm=None,
    vehicle: str = "",
) -> SupplyRecord:
    """One record (the holder already reached through the access layer), screened at once."""
    require(actor, "market.goods")
    if kind not in SupplyRecord.Kind.values:
        raise ValidationError({"kind": _("类型应为 goods（进货记录）或 billets（钢坯来源）")})
    if not supplier_name.strip():
        raise ValidationError({"supplier_name": _("请填写供货单位")})
    if not heat_number.strip():
        raise ValidationError({"heat_number": _("请填写炉号/批号")})
    if tonnes is None or Decimal(str(tonnes)) <= 0:
        raise ValidationError({"tonnes": _("数量应为正数")})
    check_dates(later=("received_on", received_on))
    values = {
        "supplier_name": supplier_name.strip(),
        "supplier_uscc": _uscc(supplier_uscc, "supplier_uscc"),
        "manufacturer_name": manufacturer_name.strip(),
        "manufacturer_uscc": _uscc(manufacturer_uscc, "manufacturer_uscc"),
        "licence_number": licence_number.strip(),
        "certificate_number": certificate_number.strip(),
        "heat_number": heat_number.strip(),
        "product": product,
        "grade": (grade or "").strip().upper(),
        "diameter_mm": diameter_mm,
        "tonnes": tonnes,
        "received_on": received_on,
        "vehicle": vehicle.strip(),
    }
    return audited_create(
        actor=actor,
        action=f"supply_record_create_{kind}",
        division_code=holder.division_id,
        instance=SupplyRecord(
            kind=kind, holder=holder, findings=_findings(kind, values), created_by=actor, **values
        ),
    )


# --- the workbook -----------------------------------------------------------------------------------------


@dataclass
class SupplyPlan:
    table: SheetTable | None = None
    errors: list[SheetError] = field(default_factory=list)
    rows: list[tuple[int, Enterprise, str, dict]] = field(default_factory=list)  # row, holder, kind, values

    @property
    def ok(self) -> bool:
        return not self.errors

    def result(self) -> ImportResult:
        return ImportResult(ok=self.ok, created=len(self.rows) if self.ok else 0, errors=list(self.errors))


def supply_import_plan(path: str | Path, *, actor) -> SupplyPlan:
    """Check every row (format, holder on the ledger in the actor's jurisdiction); write nothing."""
    log, plan = ErrorLog(), SupplyPlan()
    require(actor, "market.goods")
    tables = read_workbook(path, [SUPPLY_SHEET], log)
    plan.table = table = tables.get(SUPPLY_SHEET_NAME)
    if table is not None:
        usccs = {row.values.get("holder_uscc") for row in table.rows if row.values.get("holder_uscc")}
        holders = {e.uscc: e for e in enterprises_for(actor).filter(uscc__in=usccs)}
        for row in table.rows:
            values = row.values
            uscc = values.get("holder_uscc")
            if uscc and uscc not in holders:
                log.cell(table, row, "holder_uscc", f"统一社会信用代码 {uscc} 不在台账中或不在您的管辖范围内")
            kind = values.get("kind") or SupplyRecord.Kind.GOODS
            if (
                kind == SupplyRecord.Kind.GOODS
                and table.has("licence_number")
                and not values.get("licence_number")
            ):
                log.cell(table, row, "licence_number", "进货记录须填写生产许可证编号")
            received_on = values.get("received_on")
            if received_on and received_on > timezone.localdate():
                log.cell(table, row, "received_on", f"进货日期 {received_on} 晚于今天")
            if row.valid:
                fields = {
                    name: values[name] for name in FIELDS if name in values and values[name] is not None
                }
                plan.rows.append((row.number, holders[uscc], kind, fields))
    plan.errors = sort_errors(log.errors, [SUPPLY_SHEET])
    return plan


def supply_import(*, path: str | Path, actor, dry_run: bool = False) -> ImportResult:
    """Check, then (unless `dry_run` or any error) create every record in one transaction."""
    with transaction.atomic():
        plan = supply_import_plan(path, actor=actor)
        if not plan.ok or dry_run:
            return plan.result()
        log = ErrorLog()
        for number, holder, kind, fields in plan.rows:
            try:
                supply_record_create(actor=actor, holder=holder, kind=kind, **fields)
            except ValidationError as exc:
                log.add(SUPPLY_SHEET_NAME, number, "", "；".join(exc.messages))
        if log:
            transaction.set_rollback(True)
            return ImportResult(ok=False, errors=log.errors)
        return plan.result()


# --- rolling mills: tonnes rolled per month ---------------------------------------------------------------


@transaction.atomic
def mill_output_record(*, actor, mill: Enterprise, month: datetime.date, tonnes_rolled) -> MillOutput:
    require(actor, "market.goods")
    month = month.replace(day=1)
    check_dates(later=("month", month))
    if Decimal(str(tonnes_rolled)) < 0:
        raise ValidationError({"tonnes_rolled": _("轧制量不能为负")})
    existing = MillOutput.objects.filter(mill=mill, month=month).first()
    if existing:
        return audited_update(
            actor=actor,
            instance=existing,
            changes={"tonnes_rolled": tonnes_rolled},
            division_code=mill.division_id,
        )
    return audited_create(
        actor=actor,
        action="mill_output_record",
        division_code=mill.division_id,
        instance=MillOutput(mill=mill, month=month, tonnes_rolled=tonnes_rolled, created_by=actor),
    )
