"""Importing the ledger workbook: parse, plan (check every row against the file and the database), then commit.

`ledger_parse` reads the workbook once (under the size and row caps of core/sheets.py); its result can be kept
as a staged parse (`parse_save`/`parse_load`) so that the web confirm step re-plans without re-reading the file.
`ledger_import_plan` writes nothing and returns every error plus the changes a commit would make.
`ledger_import` never holds one long transaction: every row is validated first (nothing written), new rows are
written in short batches carrying an import batch id (invisible to every default manager, see
core.models.VisibleManager), and one short final transaction switches the batch on and applies the updates of
existing rows — the import appears at once, or not at all (a failure, or a worker that died, leaves only
invisible rows that `ledger_import_discard` removes). Every row is audited (the audit records are staged the
same way) and furnace status changes enter their history. USCC is the key of an enterprise, USCC + 设备编号 of
a furnace: the same file twice creates and updates nothing.
"""

import datetime
import decimal
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from steelwatch.accounts.roles import can
from steelwatch.core import files
from steelwatch.core.access import user_covers_division
from steelwatch.core.audit import snapshot
from steelwatch.core.bulk import rows_insert
from steelwatch.core.models import AuditLog, PendingImport
from steelwatch.core.sheets import (
    ErrorLog,
    ImportResult,
    SheetError,
    SheetRow,
    SheetTable,
    read_workbook,
    sort_errors,
)
from steelwatch.geo.models import Division, Grid

from .access import enterprises_for
from .ledger_excel import ENTERPRISE_SHEET_NAME, FURNACE_SHEET_NAME, LEDGER_SHEETS
from .models import Enterprise, Furnace, FurnaceStatusChange
from .staged_parse import Parsed, parse_load, parse_save

__all__ = ["ledger_import", "ledger_import_plan", "ledger_parse", "parse_load", "parse_save", "preview"]
from .uscc import normalize_uscc

IMPORT_NOTE = "台账导入"
IMPORT_DIR = "imports"
ENTERPRISE_FIELDS = (
    "name",
    "division_id",
    "address",
    "legal_representative",
    "industry",
    "status",
    "longitude",
    "latitude",
)
OPTIONAL_ENTERPRISE_FIELDS = (
    "registration_number",
    "is_foundry",
    "is_special_steel",
    "formerly_banned",
    "on_watchlist",
    "watchlist_reason",
)
FURNACE_FIELDS = ("kind", "capacity_t", "rated_kw", "purpose", "status")


@dataclass
class Change:
    """One row's effect: create (instance None) or update `instance` with `fields`."""

    row: SheetRow
    key: tuple
    fields: dict
    instance: models.Model | None = None
    prepared: models.Model | None = None  # the instance to write, checked (set by the plan when it is clean)
    before: dict | None = None  # the audit snapshot of `instance` before the change


@dataclass
class LedgerPlan:
    tables: dict[str, SheetTable] = field(default_factory=dict)
    errors: list[SheetError] = field(default_factory=list)
    enterprises: list[Change] = field(default_factory=list)
    furnaces: list[Change] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changes(self) -> list[Change]:
        return self.enterprises + self.furnaces

    def result(self) -> ImportResult:
        changes = self.changes
        created = sum(1 for change in changes if change.instance is None)
        return ImportResult(
            ok=self.ok,
            created=created if self.ok else 0,
            updated=len(changes) - created if self.ok else 0,
            errors=list(self.errors),
        )

    def would(self) -> tuple[int, int]:
        """(created, updated) the file would make, counting only its valid rows."""
        created = sum(1 for change in self.changes if change.instance is None)
        return created, len(self.changes) - created


def _same(old, new) -> bool:
    if isinstance(old, decimal.Decimal) or isinstance(new, decimal.Decimal):
        return old is not None and new is not None and decimal.Decimal(old) == decimal.Decimal(new)
    return old == new


def _diff(instance: models.Model, fields: dict) -> dict:
    return {name: value for name, value in fields.items() if not _same(getattr(instance, name), value)}


def _resolve_division(code: str, known: set[str]) -> str | None:
    """The division a code names; a 12-digit code padded with zeros also finds its district/township."""
    candidates = [code]
    if len(code) == 12 and code.endswith("000"):
        candidates.append(code[:9])
    if len(code) > 6 and code[6:].strip("0") == "":
        candidates.append(code[:6])
    return next((candidate for candidate in candidates if candidate in known), None)


def _division_candidates(code: str) -> list[str]:
    return [code, code[:6], code[:9]]


IN_BATCH = 5000  # values per IN (...) lookup (SQLite refuses more than 32,766 parameters in one query)


def _where_in(queryset, field: str, values) -> list:
    """`queryset.filter(<field>__in=values)`, a few thousand values per query, every row of every query."""
    values = sorted(v for v in values if v)
    rows = []
    for start in range(0, len(values), IN_BATCH):
        rows.extend(queryset.filter(**{f"{field}__in": values[start : start + IN_BATCH]}))
    return rows


def _plan_enterprises(plan: LedgerPlan, table: SheetTable, actor, log: ErrorLog) -> None:
    rows = table.rows
    usccs = {row.values["uscc"] for row in rows if row.values.get("uscc")}
    existing = {e.uscc: e for e in _where_in(Enterprise.objects.all(), "uscc", usccs)}
    in_flight = set(
        _where_in(
            Enterprise.staged.filter(import_batch__in=PendingImport.objects.values("batch")).values_list(
                "uscc", flat=True
            ),
            "uscc",
            usccs,
        )
    )
    visible = (
        set(_where_in(enterprises_for(actor).values_list("uscc", flat=True), "uscc", usccs))
        if actor is not None
        else set(existing)
    )
    codes = {
        c
        for row in rows
        if row.values.get("division_id")
        for c in _division_candidates(row.values["division_id"])
    }
    divisions = set(_where_in(Division.objects.values_list("code", flat=True), "code", codes))
    grid_codes = {row.values["grid_code"] for row in rows if row.values.get("grid_code")}
    grids = {
        grid.code: grid for grid in _where_in(Grid.objects.select_related("division"), "code", grid_codes)
    }
    first_row: dict[str, int] = {}
    for row in rows:
        values = row.values
        uscc = values.get("uscc")
        if uscc in first_row:
            log.cell(table, row, "uscc", f"统一社会信用代码 {uscc} 与第{first_row[uscc]}行重复")
        elif uscc:
            first_row[uscc] = row.number
            if uscc in in_flight:
                log.cell(table, row, "uscc", f"统一社会信用代码 {uscc} 的企业正由另一次导入写入，请稍后再试")
            elif uscc in existing and uscc not in visible:
                log.cell(
                    table, row, "uscc", f"统一社会信用代码 {uscc} 的企业已在其他地区登记，不在您的管辖范围内"
                )
        code = values.get("division_id")
        if code:
            division = _resolve_division(code, divisions)
            if division is None:
                log.cell(table, row, "division_id", f"行政区划代码 {code} 不存在")
            elif actor is not None and not user_covers_division(actor, division):
                log.cell(table, row, "division_id", f"行政区划代码 {code} 不在您的管辖范围内")
            else:
                values["division_id"] = division
        for key, other in (("longitude", "latitude"), ("latitude", "longitude")):
            if values.get(key) is None and values.get(other) is not None and key not in row.bad:
                log.cell(
                    table,
                    row,
                    key,
                    f"已填写{table.spec.header(other)}，{table.spec.header(key)}不能为空"
                    "（经度、纬度须同时填写）",
                )
        grid_code = values.get("grid_code")
        if grid_code:
            grid = grids.get(grid_code)
            if grid is None:
                log.cell(table, row, "grid_code", f"网格编号 {grid_code} 不存在")
            elif (
                values.get("division_id")
                and not grid.division.contains(values["division_id"])
                and "division_id" not in row.bad
            ):
                log.cell(
                    table,
                    row,
                    "grid_code",
                    f"网格 {grid_code} 属于{grid.division.name}（{grid.division_id}），"
                    f"与行政区划代码 {values['division_id']} 不符",
                )
        if not row.valid:
            continue
        fields = {name: values[name] for name in ENTERPRISE_FIELDS}
        fields.update({name: values[name] for name in OPTIONAL_ENTERPRISE_FIELDS if table.has(name)})
        if table.has("grid_code"):
            fields["grid_id"] = grids[grid_code].pk if grid_code else None
        if table.has("off_ledger"):
            fields["on_ledger"] = not values["off_ledger"]
        enterprise = existing.get(uscc)
        if enterprise is None:
            plan.enterprises.append(Change(row, (uscc,), {"uscc": uscc, **fields}))
        elif changes := _diff(enterprise, fields):
            plan.enterprises.append(Change(row, (uscc,), changes, enterprise))


def _plan_furnaces(plan: LedgerPlan, table: SheetTable, sheet_usccs: set[str], actor, log: ErrorLog) -> None:
    rows = table.rows
    usccs = {row.values["uscc"] for row in rows if row.values.get("uscc")}
    ledger = enterprises_for(actor) if actor is not None else Enterprise.objects.all()
    on_ledger = set(_where_in(ledger.values_list("uscc", flat=True), "uscc", usccs - sheet_usccs))
    existing = {
        (f.enterprise.uscc, f.number): f
        for f in _where_in(Furnace.objects.select_related("enterprise"), "enterprise__uscc", usccs)
    }
    first_row: dict[tuple, int] = {}
    for row in rows:
        values = row.values
        uscc, number = values.get("uscc"), values.get("number")
        if uscc and uscc not in sheet_usccs and uscc not in on_ledger:
            scope = "或不在您的管辖范围内" if actor is not None else ""
            log.cell(
                table,
                row,
                "uscc",
                f"统一社会信用代码 {uscc} 既不在“{ENTERPRISE_SHEET_NAME}”工作表中，也不在台账中{scope}",
            )
        if uscc and number:
            if (uscc, number) in first_row:
                log.cell(
                    table,
                    row,
                    "number",
                    f"设备编号 {number} 在企业 {uscc} 下重复（与第{first_row[uscc, number]}行）",
                )
            else:
                first_row[uscc, number] = row.number
        if not row.valid:
            continue
        fields = {name: values[name] for name in FURNACE_FIELDS}
        if table.has("legitimacy_basis"):
            fields["legitimacy_basis"] = values["legitimacy_basis"]
        furnace = existing.get((uscc, number))
        if furnace is None:
            plan.furnaces.append(Change(row, (uscc, number), {"number": number, **fields}))
        elif changes := _diff(furnace, fields):
            plan.furnaces.append(Change(row, (uscc, number), changes, furnace))


def ledger_parse(path: str | Path) -> Parsed:
    """Read the workbook once: the parsed sheets and the errors of the file and its cells."""
    log = ErrorLog()
    tables = read_workbook(path, LEDGER_SHEETS, log)
    return tables, list(log.errors)


def ledger_import_plan(
    path: str | Path | None = None, *, actor=None, parsed: Parsed | None = None
) -> LedgerPlan:
    """Check every row of the workbook (or of its staged parse) against the file format and the database;
    write nothing."""
    log, plan = ErrorLog(), LedgerPlan()
    if actor is not None and not (can(actor, "ledger.import") and can(actor, "ledger.edit")):
        log.add("", None, "", "当前用户无权导入台账")
        plan.errors = log.errors
        return plan
    plan.tables, log.errors = parsed if parsed is not None else ledger_parse(path)
    enterprise_table = plan.tables.get(ENTERPRISE_SHEET_NAME)
    sheet_usccs: set[str] = set()
    if enterprise_table is not None:
        _plan_enterprises(plan, enterprise_table, actor, log)
        sheet_usccs = {row.values["uscc"] for row in enterprise_table.rows if row.values.get("uscc")}
    if (furnace_table := plan.tables.get(FURNACE_SHEET_NAME)) is not None:
        _plan_furnaces(plan, furnace_table, sheet_usccs, actor, log)
    if not log:
        _check_fields(plan, log)
    plan.errors = sort_errors(log.errors, LEDGER_SHEETS)
    return plan


def _check_fields(plan: LedgerPlan, log: ErrorLog) -> None:
    """Build the instance every row will write. No model validation runs per row: the sheets' cell parsers are
    the model's field rules (lengths from the model, choices, number ranges; ledger_excel.py) and the foreign
    keys, the keys and the scope were checked above against the database."""
    for change in plan.changes:
        if change.instance is None:
            fields = dict(change.fields)
            if change.row.sheet == ENTERPRISE_SHEET_NAME:
                fields["uscc"] = normalize_uscc(fields.get("uscc"))
                instance = Enterprise(**fields)
            else:
                instance = Furnace(**fields)
        else:
            instance = change.instance
            change.before = snapshot(instance)
            for name, value in change.fields.items():
                setattr(instance, name, value)
        change.prepared = instance


Report = Callable[[int, str], None]
BATCH = 1000  # rows per write transaction (SQLite: the write lock is held for one batch only)


def ledger_import(
    *,
    path: str | Path | None = None,
    parsed: Parsed | None = None,
    actor=None,
    dry_run: bool = False,
    report: Report | None = None,
    every: int = BATCH,
    batch: str | None = None,
) -> ImportResult:
    """Check every row; then (unless `dry_run` or any error) stage the new rows in short batches and switch the
    whole import on in one short transaction. `batch` (a hex id) names the staged rows for clean-up."""
    report = report or (lambda progress, message="": None)
    report(1, "正在读取并校验文件")
    plan = ledger_import_plan(path, actor=actor, parsed=parsed)
    result = plan.result()
    if not plan.ok or dry_run:
        return result
    batch = batch or uuid.uuid4().hex
    try:
        _stage(plan, actor, batch, report, max(1, min(every, BATCH)))
        report(97, "正在启用导入的数据")
        _switch(plan, actor, batch)
    except BaseException:
        ledger_import_discard(batch)
        raise
    report(100, f"已导入 {len(plan.changes)} 行")
    return result


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


def _audit(actor, action: str, instance, division_code: str, batch: str, before=None) -> AuditLog:
    return AuditLog(
        actor=_actor(actor),
        action=action,
        target_type=instance._meta.label_lower,
        target_id=str(instance.pk),
        division_code=division_code,
        before=before,
        after=snapshot(instance),
        reason=IMPORT_NOTE,
        import_batch=batch,
    )


def _written(model, objects: list, report: Report, done: list[int], total: int, size: int) -> None:
    """Insert in short transactions, reporting progress after each."""
    for start in range(0, len(objects), size):
        chunk = objects[start : start + size]
        with transaction.atomic():
            rows_insert(model, chunk)
        done[0] += len(chunk)
        report(5 + int(90 * done[0] / max(total, 1)), f"已写入 {done[0]}/{total} 行（导入完成前不生效）")


def _stage(plan: LedgerPlan, actor, batch: str, report: Report, size: int) -> None:
    """Write the new enterprises and furnaces (and their audit records) with the batch id: not yet visible."""
    new_enterprises = [c for c in plan.enterprises if c.instance is None]
    new_furnaces = [c for c in plan.furnaces if c.instance is None]
    total = 2 * (len(new_enterprises) + len(new_furnaces))
    done = [0]
    PendingImport.objects.create(batch=batch)  # before any row: what carries the batch id stays unseen
    enterprises = []
    for change in new_enterprises:
        change.prepared.import_batch = batch
        enterprises.append(change.prepared)
    _written(Enterprise, enterprises, report, done, total, size)
    pks = dict(Enterprise.staged.filter(import_batch=batch).values_list("uscc", "pk"))
    for enterprise in enterprises:
        enterprise.pk = pks[enterprise.uscc]
    ids = {e.uscc: (e.pk, e.division_id) for e in enterprises}
    wanted = {c.key[0] for c in new_furnaces} - set(ids)
    ids.update(
        (e.uscc, (e.pk, e.division_id))
        for e in _where_in(Enterprise.objects.only("pk", "uscc", "division_id"), "uscc", wanted)
    )
    furnaces = []
    for change in new_furnaces:
        furnace = change.prepared
        furnace.enterprise_id, division = ids[change.key[0]]
        furnace.import_batch = batch
        furnace._division = division
        furnaces.append(furnace)
    _written(Furnace, furnaces, report, done, total, size)
    staged = Furnace.staged.filter(import_batch=batch).values_list("enterprise_id", "number", "pk")
    pks = {(enterprise, number): pk for enterprise, number, pk in staged}
    for furnace in furnaces:
        furnace.pk = pks[furnace.enterprise_id, furnace.number]
    today = datetime.date.today()
    history = [
        FurnaceStatusChange(
            furnace_id=f.pk,
            status=f.status,
            date=f.status_date or today,
            note="登记",
            recorded_by=_actor(actor),
        )
        for f in furnaces
    ]
    for start in range(0, len(history), size):
        with transaction.atomic():
            rows_insert(FurnaceStatusChange, history[start : start + size])
    audits = [_audit(actor, "create", e, e.division_id, batch) for e in enterprises]
    audits += [_audit(actor, "create", f, f._division, batch) for f in furnaces]
    _written(AuditLog, audits, report, done, total, size)


def _switch(plan: LedgerPlan, actor, batch: str) -> None:
    """One short transaction: the staged rows become visible, the updates of existing rows are applied."""
    updated = [c for c in plan.changes if c.instance is not None]
    now = timezone.now()
    today = datetime.date.today()
    with transaction.atomic():
        PendingImport.objects.filter(batch=batch).delete()  # the switch: one row
        if not updated:
            return
        audits, history = [], []
        for change in updated:
            instance = change.prepared
            if isinstance(instance, Furnace):
                if "status" in change.fields:
                    instance.status_date = instance.status_date if "status_date" in change.fields else today
                    history.append(
                        FurnaceStatusChange(
                            furnace=instance,
                            status=instance.status,
                            date=instance.status_date,
                            note=IMPORT_NOTE,
                            recorded_by=_actor(actor),
                        )
                    )
                division = instance.enterprise.division_id
            else:
                instance.updated_at = now
                division = instance.division_id
            audits.append(_audit(actor, "update", instance, division, "", before=change.before))
        for model in (Enterprise, Furnace):
            rows = [c.prepared for c in updated if isinstance(c.prepared, model)]
            names = sorted({n for c in updated if isinstance(c.prepared, model) for n in c.fields})
            if model is Enterprise and rows:
                names.append("updated_at")
            if model is Furnace and any(
                "status" in c.fields for c in updated if isinstance(c.prepared, Furnace)
            ):
                names.append("status_date")
            if rows:
                model.objects.bulk_update(rows, sorted(set(names)), batch_size=500)
        FurnaceStatusChange.objects.bulk_create(history, batch_size=500)
        AuditLog.objects.bulk_create(audits, batch_size=500)


def ledger_import_discard(batch: str) -> int:
    """Remove what an import that did not finish staged (in short transactions); returns the rows removed.
    An import already switched on is never touched."""
    removed = 0
    if not batch or not PendingImport.objects.filter(batch=batch).exists():
        return 0
    for model in (AuditLog, Furnace, Enterprise):
        while ids := list(model.staged.filter(import_batch=batch).values_list("pk", flat=True)[:BATCH]):
            with transaction.atomic():
                removed += model.staged.filter(pk__in=ids).delete()[0]
    PendingImport.objects.filter(batch=batch).delete()
    return removed


def preview(plan: LedgerPlan, *, limit: int = 200) -> list[dict]:
    """The rows with errors, per sheet, each cell with its text and its error (for the preview page)."""
    messages = {(e.sheet, e.row, e.column): e.message for e in plan.errors}
    sheets = []
    for name, table in plan.tables.items():
        columns = [c for c in table.spec.columns if table.has(c.key)]
        bad = [row for row in table.rows if not row.valid][:limit]
        if not bad:
            continue
        sheets.append(
            {
                "name": name,
                "headers": [f"{c.header}（{table.letters[c.key]}）" for c in columns],
                "rows": [
                    {
                        "number": row.number,
                        "cells": [
                            {
                                "text": row.cells.get(c.key, ""),
                                "error": messages.get((name, row.number, c.header), ""),
                            }
                            for c in columns
                        ],
                    }
                    for row in bad
                ],
            }
        )
    return sheets


def upload_path(user_id: int, token: str) -> Path:
    """Where an uploaded ledger workbook is kept: per user, so that nobody reaches another's upload."""
    return settings.UPLOAD_DIR / IMPORT_DIR / str(user_id) / f"{uuid.UUID(str(token)).hex}.xlsx"


def parse_path(user_id: int, token: str) -> Path:
    """Where the preview keeps its parse of the workbook for the confirm step."""
    return upload_path(user_id, token).with_suffix(".parsed.json")


def upload_store(*, user, upload) -> str:
    """Keep an uploaded workbook (a Django UploadedFile) for preview and commit; returns its token."""
    token = uuid.uuid4()
    files.save_upload(f"{IMPORT_DIR}/{user.pk}", upload, "xlsx", name=token.hex)
    return str(token)
