"""Writes to the jurisdiction tree: villages/communities and grids with their officers, all audited."""

from django.core.exceptions import ValidationError
from django.db import transaction

from steelwatch.accounts.roles import Role
from steelwatch.accounts.services import user_create
from steelwatch.core.access import user_covers_division
from steelwatch.core.audit import audit_record, snapshot
from steelwatch.core.services import audited_create, audited_update

from .boundary import boundary_clean
from .models import Division, Grid


def village_create(*, actor, code: str, name: str) -> Division:
    if not (code.isdigit() and len(code) == 12):
        raise ValidationError({"code": "村社区代码须为12位数字"})
    township = Division.objects.filter(code=code[:9], level=Division.Level.TOWNSHIP).first()
    if township is None:
        raise ValidationError({"code": f"所属街镇 {code[:9]} 不存在（前9位须为平台已有的街镇）"})
    if actor is not None and not user_covers_division(actor, code):
        raise ValidationError({"code": f"{township.name}（{township.code}）不在本人管辖范围内"})
    if Division.objects.filter(code=code).exists():
        raise ValidationError({"code": f"行政区划代码 {code} 已存在"})
    village = Division(code=code, name=name, level=Division.Level.VILLAGE, parent_id=code[:9])
    return audited_create(actor=actor, instance=village, division_code=code)


def village_update(*, actor, village: Division, name: str) -> Division:
    return audited_update(actor=actor, instance=village, changes={"name": name}, division_code=village.code)


def _grid_snapshot(grid: Grid) -> dict:
    return {**snapshot(grid), "villages": sorted(grid.villages.values_list("code", flat=True))}


@transaction.atomic
def grid_save(
    *,
    actor,
    grid: Grid | None = None,
    code: str,
    name: str,
    division_code: str,
    village_codes: list[str],
    boundary=...,
    description: str | None = None,
) -> Grid:
    """Create the grid `code`, or bring `grid` in line with these values (audited with its villages).
    `boundary` (GeoJSON, or None to clear) and `description` are left as they are when not given."""
    outside = [c for c in village_codes if not c.startswith(division_code)]
    if outside:
        raise ValidationError({"villages": f"村社区 {outside[0]} 不属于所属街镇 {division_code}"})
    before = _grid_snapshot(grid) if grid is not None else None
    grid = grid or Grid(code=code)
    grid.name, grid.division_id = name, division_code
    if boundary is not ...:
        grid.boundary = boundary_clean(boundary)
    if description is not None:
        grid.description = description
    grid.full_clean()
    grid.save()
    grid.villages.set(village_codes)
    after = _grid_snapshot(grid)
    if after != before:
        audit_record(
            actor=actor,
            action="create" if before is None else "update",
            target=grid,
            before=before,
            after=after,
            division_code=division_code,
        )
    return grid


def grid_officer_save(
    *,
    actor,
    officer=None,
    grid: Grid,
    username: str,
    display_name: str,
    phone: str,
    password: str | None = None,
):
    """Create the grid officer `username` (without `password`, none usable: the office resets one on the
    user page), or update `officer`."""
    if officer is None:
        return user_create(
            password=password,
            actor=actor,
            username=username,
            role=Role.GRID_OFFICER,
            division_code=grid.division_id,
            display_name=display_name,
            phone=phone,
            grid=grid,
        )
    return audited_update(
        actor=actor,
        instance=officer,
        division_code=grid.division_id,
        changes={"grid": grid, "division_id": grid.division_id, "display_name": display_name, "phone": phone},
    )


def grid_officer_assign(*, actor, grid: Grid, officer) -> object:
    """Make the existing grid officer `officer` responsible for `grid` (moving them from their old grid)."""
    if officer.role != Role.GRID_OFFICER:
        raise ValidationError({"officer": f"{officer} 不是网格员"})
    return audited_update(
        actor=actor,
        instance=officer,
        division_code=grid.division_id,
        changes={"grid": grid, "division_id": grid.division_id},
    )
