"""Writes to the jurisdiction tree: villages/communities and grids with their officers, all audited."""

from django.db import transaction

from steelwatch.accounts.roles import Role
from steelwatch.accounts.services import user_create
from steelwatch.core.audit import audit_record, snapshot
from steelwatch.core.services import audited_create, audited_update

from .models import Division, Grid


def village_create(*, actor, code: str, name: str) -> Division:
    village = Division(code=code, name=name, level=Division.Level.VILLAGE, parent_id=code[:9])
    return audited_create(actor=actor, instance=village, division_code=code)


def village_update(*, actor, village: Division, name: str) -> Division:
    return audited_update(actor=actor, instance=village, changes={"name": name}, division_code=village.code)


def _grid_snapshot(grid: Grid) -> dict:
    return {**snapshot(grid), "villages": sorted(grid.villages.values_list("code", flat=True))}


@transaction.atomic
def grid_save(
    *, actor, grid: Grid | None = None, code: str, name: str, division_code: str, village_codes: list[str]
) -> Grid:
    """Create the grid `code`, or bring `grid` in line with these values (audited with its villages)."""
    before = _grid_snapshot(grid) if grid is not None else None
    grid = grid or Grid(code=code)
    grid.name, grid.division_id = name, division_code
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


def grid_officer_save(*, actor, officer=None, grid: Grid, username: str, display_name: str, phone: str):
    """Create the grid officer `username` (no usable password: set one later), or update `officer`."""
    if officer is None:
        return user_create(
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
