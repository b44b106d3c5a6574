"""`steelwatch import-divisions`: villages/communities (12-digit codes) and grids with named grid officers.

Same machinery as the ledger import (steelwatch.core.sheets): every row checked, every error at its
sheet/row/column, nothing written unless all is well, and the same file again changes nothing.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from steelwatch.accounts.models import User
from steelwatch.accounts.roles import Role, can
from steelwatch.core.access import user_covers_division
from steelwatch.core.sheets import (
    CellError,
    Column,
    ErrorLog,
    ImportResult,
    SheetSpec,
    digits,
    read_workbook,
    sort_errors,
    text,
    write_workbook,
)

from .models import Division, Grid
from .services import grid_officer_save, grid_save, village_create, village_update

VILLAGE_SHEET_NAME, GRID_SHEET_NAME = "村社区", "网格"


def parse_code_list(value) -> list[str]:
    codes = [code for code in re.split(r"[,，、;；\s]+", str(value)) if code]
    bad = [code for code in codes if not (code.isdigit() and len(code) == 12)]
    if bad:
        raise CellError(f"中“{bad[0]}”不是12位村社区代码（多个代码用逗号分隔）")
    return codes


def parse_username(value) -> str:
    username = text(150)(value)
    try:
        User.username_validator(username)
    except Exception:
        raise CellError(f"“{username}”无效：只能包含字母、数字和 @ . + - _") from None
    return username


VILLAGE_SHEET = SheetSpec(
    VILLAGE_SHEET_NAME,
    (
        Column(
            "行政区划代码",
            "code",
            digits(12),
            required=True,
            width=16,
            as_text=True,
            note="12位村/社区代码；前9位为所属街镇，须为平台已有的街镇",
        ),
        Column("名称", "name", text(64), required=True, width=24),
    ),
)
GRID_SHEET = SheetSpec(
    GRID_SHEET_NAME,
    (
        Column("网格编号", "code", text(32), required=True, as_text=True),
        Column("网格名称", "name", text(64), required=True, width=24),
        Column("所属街镇代码", "division_code", digits(9), required=True, as_text=True),
        Column(
            "包含村社区代码",
            "villages",
            parse_code_list,
            width=40,
            empty=[],
            note="12位村社区代码，多个用逗号分隔；须属于所属街镇",
        ),
        Column("网格员姓名", "officer_name", text(64), required=True, width=12),
        Column("网格员电话", "officer_phone", text(32), width=14, as_text=True),
        Column(
            "网格员账号",
            "officer_username",
            parse_username,
            required=True,
            note="网格员登录账号：不存在则新建（角色为网格员，需另行设置密码），已存在则更新",
        ),
    ),
)
DIVISION_SHEETS = (VILLAGE_SHEET, GRID_SHEET)


@dataclass
class DivisionPlan:
    errors: list = field(default_factory=list)
    villages: list = field(default_factory=list)  # (existing Division or None, code, name)
    # (existing Grid or None, row values, existing officer or None, grid unchanged, officer unchanged)
    grids: list = field(default_factory=list)

    def result(self, created: int = 0, updated: int = 0) -> ImportResult:
        return ImportResult(ok=not self.errors, created=created, updated=updated, errors=self.errors)


def _covered(actor, code: str) -> bool:
    return actor is None or user_covers_division(actor, code)


def division_import_plan(path: str | Path, *, actor=None) -> DivisionPlan:
    log, plan = ErrorLog(), DivisionPlan()
    if actor is not None and not can(actor, "users.manage"):
        log.add("", None, "", "当前用户无权导入村社区和网格")
        plan.errors = log.errors
        return plan
    tables = read_workbook(path, DIVISION_SHEETS, log)
    sheet_villages: set[str] = set()
    if (table := tables.get(VILLAGE_SHEET_NAME)) is not None:
        codes = {row.values["code"] for row in table.rows if row.values.get("code")}
        known = {d.code: d for d in Division.objects.filter(code__in=codes | {c[:9] for c in codes})}
        first: dict[str, int] = {}
        for row in table.rows:
            code = row.values.get("code")
            if code in first:
                log.cell(table, row, "code", f"行政区划代码 {code} 与第{first[code]}行重复")
            elif code:
                first[code] = row.number
                township = known.get(code[:9])
                if code.endswith("000"):
                    log.cell(table, row, "code", f"行政区划代码 {code} 后三位为000，不是村社区代码")
                elif township is None or township.level != Division.Level.TOWNSHIP:
                    log.cell(table, row, "code", f"所属街镇 {code[:9]} 不存在（村社区代码前9位）")
                elif not _covered(actor, code):
                    log.cell(table, row, "code", f"行政区划代码 {code} 不在您的管辖范围内")
            if row.valid:
                sheet_villages.add(code)
                village = known.get(code)
                if village is None or village.name != row.values["name"]:
                    plan.villages.append((village, code, row.values["name"]))
    if (table := tables.get(GRID_SHEET_NAME)) is not None:
        rows = table.rows
        grids = {
            g.code: g
            for g in Grid.objects.filter(code__in={r.values.get("code") for r in rows}).prefetch_related(
                "villages"
            )
        }
        townships = {
            d.code: d
            for d in Division.objects.filter(
                code__in={r.values.get("division_code") for r in rows}, level=Division.Level.TOWNSHIP
            )
        }
        listed = {c for r in rows for c in r.values.get("villages") or []}
        villages = sheet_villages | set(
            Division.objects.filter(code__in=listed, level=Division.Level.VILLAGE).values_list(
                "code", flat=True
            )
        )
        users = {
            u.username: u
            for u in User.objects.filter(username__in={r.values.get("officer_username") for r in rows})
        }
        first_grid: dict[str, int] = {}
        first_officer: dict[str, int] = {}
        for row in rows:
            values = row.values
            code, township, username = (
                values.get("code"),
                values.get("division_code"),
                values.get("officer_username"),
            )
            if code in first_grid:
                log.cell(table, row, "code", f"网格编号 {code} 与第{first_grid[code]}行重复")
            elif code:
                first_grid[code] = row.number
                if code in grids and not _covered(actor, grids[code].division_id):
                    log.cell(table, row, "code", f"网格 {code} 已存在，且不在您的管辖范围内")
            if township:
                if township not in townships:
                    log.cell(table, row, "division_code", f"所属街镇代码 {township} 不存在")
                elif not _covered(actor, township):
                    log.cell(table, row, "division_code", f"所属街镇 {township} 不在您的管辖范围内")
                else:
                    outside = [c for c in values.get("villages") or [] if not c.startswith(township)]
                    missing = [c for c in values.get("villages") or [] if c not in villages]
                    if outside:
                        log.cell(table, row, "villages", f"村社区 {outside[0]} 不属于街镇 {township}")
                    elif missing:
                        log.cell(
                            table,
                            row,
                            "villages",
                            f"村社区 {missing[0]} 不存在（也不在“{VILLAGE_SHEET_NAME}”工作表中）",
                        )
            officer = users.get(username)
            if username in first_officer:
                log.cell(
                    table,
                    row,
                    "officer_username",
                    f"网格员账号 {username} 与第{first_officer[username]}行重复（一名网格员只负责一个网格）",
                )
            elif username:
                first_officer[username] = row.number
                if officer is not None and officer.role != Role.GRID_OFFICER:
                    log.cell(table, row, "officer_username", f"账号 {username} 已存在，且不是网格员")
                elif officer is not None and not _covered(actor, officer.division_id or ""):
                    log.cell(table, row, "officer_username", f"账号 {username} 已存在，且不在您的管辖范围内")
            if not row.valid:
                continue
            grid = grids.get(code)
            grid_same = (
                grid is not None
                and (grid.name, grid.division_id) == (values["name"], township)
                and sorted(v.code for v in grid.villages.all()) == sorted(values["villages"])
            )
            officer_same = (
                officer is not None
                and grid is not None
                and (officer.grid_id, officer.division_id, officer.display_name, officer.phone)
                == (grid.pk, township, values["officer_name"], values["officer_phone"])
            )
            if not (grid_same and officer_same):
                plan.grids.append((grid, values, officer, grid_same, officer_same))
    plan.errors = sort_errors(log.errors, DIVISION_SHEETS)
    return plan


def division_import(*, path: str | Path, actor=None, dry_run: bool = False) -> ImportResult:
    with transaction.atomic():
        plan = division_import_plan(path, actor=actor)
        created = sum(village is None for village, _, _ in plan.villages)
        updated = len(plan.villages) - created
        for grid, _, officer, grid_same, officer_same in plan.grids:
            created += (grid is None) + (officer is None)
            updated += (grid is not None and not grid_same) + (officer is not None and not officer_same)
        if not plan.errors and not dry_run:
            for village, code, name in plan.villages:
                if village is None:
                    village_create(actor=actor, code=code, name=name)
                else:
                    village_update(actor=actor, village=village, name=name)
            for grid, values, officer, grid_same, officer_same in plan.grids:
                if not grid_same:
                    grid = grid_save(
                        actor=actor,
                        grid=grid,
                        code=values["code"],
                        name=values["name"],
                        division_code=values["division_code"],
                        village_codes=values["villages"],
                    )
                if not officer_same:
                    grid_officer_save(
                        actor=actor,
                        officer=officer,
                        grid=grid,
                        username=values["officer_username"],
                        display_name=values["officer_name"],
                        phone=values["officer_phone"],
                    )
        return plan.result(created, updated) if not plan.errors else plan.result()


def write_division_template(path: str | Path) -> Path:
    return write_workbook(
        path,
        [(VILLAGE_SHEET, []), (GRID_SHEET, [])],
        instructions_first=True,
        instructions=[
            "村社区与网格导入模板：以行政区划代码、网格编号、网格员账号为键，重复导入不会重复新增。",
            "任何一行有误则整份文件不导入，并列出每个错误所在的工作表、行号和列。",
        ],
    )
