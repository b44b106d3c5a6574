"""Importing the ledger workbook: plan (check every row against the file and the database), then commit.

`ledger_import_plan` writes nothing and returns every error plus the changes a commit would make;
`ledger_import` re-plans and commits in one transaction through the ledger services (so every write
is audited and furnace status changes enter their history), or writes nothing at all. USCC is the
key of an enterprise, USCC + 设备编号 of a furnace: the same file twice creates and updates nothing.
"""

import decimal
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction

from steelwatch.accounts.roles import can
from steelwatch.core.access import user_covers_division
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
from .models import Enterprise, Furnace
from .services import enterprise_create, enterprise_update, furnace_create, furnace_update

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


def _plan_enterprises(plan: LedgerPlan, table: SheetTable, actor, log: ErrorLog) -> None:
    rows = table.rows
    usccs = {row.values["uscc"] for row in rows if row.values.get("uscc")}
    existing = {e.uscc: e for e in Enterprise.objects.filter(uscc__in=usccs)}
    visible = (
        set(enterprises_for(actor).filter(uscc__in=usccs).values_list("uscc", flat=True))
        if actor is not None
        else set(existing)
    )
    codes = {
        c
        for row in rows
        if row.values.get("division_id")
        for c in _division_candidates(row.values["division_id"])
    }
    divisions = set(Division.objects.filter(code__in=codes).values_list("code", flat=True))
    grid_codes = {row.values["grid_code"] for row in rows if row.values.get("grid_code")}
    grids = {grid.code: grid for grid in Grid.objects.filter(code__in=grid_codes).select_related("division")}
    first_row: dict[str, int] = {}
    for row in rows:
        values = row.values
        uscc = values.get("uscc")
        if uscc in first_row:
            log.cell(table, row, "uscc", f"统一社会信用代码 {uscc} 与第{first_row[uscc]}行重复")
        elif uscc:
            first_row[uscc] = row.number
            if uscc in existing and uscc not in visible:
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
    on_ledger = set(ledger.filter(uscc__in=usccs - sheet_usccs).values_list("uscc", flat=True))
    existing = {
        (f.enterprise.uscc, f.number): f
        for f in Furnace.objects.filter(enterprise__uscc__in=usccs).select_related("enterprise")
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


def ledger_import_plan(path: str | Path, *, actor=None) -> LedgerPlan:
    """Check every row of the workbook against the file format and the database; write nothing."""
    log, plan = ErrorLog(), LedgerPlan()
    if actor is not None and not can(actor, "ledger.import"):
        log.add("", None, "", "当前用户无权导入台账")
        plan.errors = log.errors
        return plan
    plan.tables = read_workbook(path, LEDGER_SHEETS, log)
    enterprise_table = plan.tables.get(ENTERPRISE_SHEET_NAME)
    sheet_usccs: set[str] = set()
    if enterprise_table is not None:
        _plan_enterprises(plan, enterprise_table, actor, log)
        sheet_usccs = {row.values["uscc"] for row in enterprise_table.rows if row.values.get("uscc")}
    if (furnace_table := plan.tables.get(FURNACE_SHEET_NAME)) is not None:
        _plan_furnaces(plan, furnace_table, sheet_usccs, actor, log)
    plan.errors = sort_errors(log.errors, LEDGER_SHEETS)
    return plan


Report = Callable[[int, str], None]


def ledger_import(
    *, path: str | Path, actor=None, dry_run: bool = False, report: Report | None = None, every: int = 50
) -> ImportResult:
    """Check, then (unless `dry_run` or any error) write every change in one transaction."""
    with transaction.atomic():
        plan = ledger_import_plan(path, actor=actor)
        result = plan.result()
        if not plan.ok or dry_run:
            return result
        log, changes = ErrorLog(), plan.changes
        for done, change in enumerate(changes, start=1):
            try:
                _apply(change, actor)
            except ValidationError as exc:  # a check the plan missed: reported, and nothing is kept
                log.add(change.row.sheet, change.row.number, "", "；".join(exc.messages))
            if report and (done % every == 0 or done == len(changes)):
                report(int(done * 100 / len(changes)), f"已导入 {done}/{len(changes)} 行")
        if log:
            transaction.set_rollback(True)
            return ImportResult(ok=False, errors=log.errors)
        return result


def _apply(change: Change, actor) -> None:
    if change.row.sheet == ENTERPRISE_SHEET_NAME:
        if change.instance is None:
            enterprise_create(actor=actor, **change.fields)
        else:
            enterprise_update(actor=actor, enterprise=change.instance, reason=IMPORT_NOTE, **change.fields)
    elif change.instance is None:
        enterprise = Enterprise.objects.get(uscc=change.key[0])
        furnace_create(actor=actor, enterprise=enterprise, **change.fields)
    else:
        furnace_update(actor=actor, furnace=change.instance, note=IMPORT_NOTE, **change.fields)


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


def upload_store(*, user, upload) -> str:
    """Keep an uploaded workbook (a Django UploadedFile) for preview and commit; returns its token."""
    token = str(uuid.uuid4())
    path = upload_path(user.pk, token)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as target:
        for chunk in upload.chunks():
            target.write(chunk)
    return token
