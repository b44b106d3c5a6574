"""Reads of field work, already scoped by access.py: the draw record, coverage per grid/officer/area."""

import datetime

from django.db.models import Max, Q
from django.utils import timezone

from steelwatch.geo.models import Grid
from steelwatch.registry.models import Enterprise

from . import sortition
from .checklists import DEAD_STATUSES
from .models import CheckIn, Draw, PatrolPlan, SiteRule

SITE_RULES: dict[str, Q] = {
    SiteRule.ZOMBIE: Q(status__in=DEAD_STATUSES),
    SiteRule.WATCHLIST: Q(on_watchlist=True),
    SiteRule.FURNACE_USER: Q(furnaces__isnull=False),
    SiteRule.ALL: Q(),
}


def draw_record(draw: Draw) -> dict:
    """The draw as anyone may recompute it (the secret only once run)."""
    run = draw.status == Draw.Status.RUN
    return {
        "format": sortition.RECORD_FORMAT,
        "id": draw.pk,
        "status": draw.status,
        "item": {"code": draw.item.code, "name": draw.item.name, "kind": draw.item.kind},
        "division_code": draw.division_id,
        "target_filter": draw.target_filter,
        "parameters": {"targets": draw.targets, "inspectors_per_target": draw.inspectors_per_target},
        "candidates": draw.candidates,
        "inspectors": draw.inspectors,
        "candidates_sha256": draw.candidates_sha256,
        "inspectors_sha256": draw.inspectors_sha256,
        "exclusions": draw.exclusions,
        "commitment": draw.commitment,
        "announced_value": draw.announced_value if run else None,
        "secret": draw.secret if run else None,
        "seed": draw.seed if run else None,
        "picks": draw.picks if run else [],
        "frozen_at": draw.frozen_at.isoformat() if draw.frozen_at else None,
        "run_at": draw.run_at.isoformat() if draw.run_at else None,
        "publish_by": draw.publish_by.isoformat() if draw.publish_by else None,
    }


def grid_sites(grid: Grid) -> dict[int, int]:
    """Enterprise id → the shortest patrol interval (days) among the grid's active plans that cover it."""
    due: dict[int, int] = {}
    for plan in PatrolPlan.objects.filter(grid=grid, active=True):
        ids = Enterprise.objects.filter(grid=grid).filter(SITE_RULES[plan.sites]).values_list("pk", flat=True)
        for pk in ids.distinct():
            due[pk] = min(due.get(pk, plan.every_days), plan.every_days)
    return due


def site_states(grid: Grid, today: datetime.date | None = None) -> list[dict]:
    """Per planned site: last visit, next due date and state (on_time, late, never)."""
    today = today or timezone.localdate()
    due = grid_sites(grid)
    last = dict(
        CheckIn.objects.filter(enterprise_id__in=list(due))
        .values("enterprise_id")
        .annotate(last=Max("checked_at"))
        .values_list("enterprise_id", "last")
    )
    sites = Enterprise.objects.in_bulk(list(due))
    rows = []
    for pk, every in due.items():
        visited = last.get(pk)
        if visited is None:
            state, next_due = "never", today
        else:
            next_due = timezone.localdate(visited) + datetime.timedelta(days=every)
            state = "on_time" if next_due > today else "late"
        rows.append(
            {"enterprise": sites[pk], "every_days": every, "last_visit": visited, "next_due": next_due,
             "state": state}
        )  # fmt: skip
    return sorted(rows, key=lambda r: (r["next_due"], r["enterprise"].name))


def _tally(rows: list[dict]) -> dict:
    counts: dict[str, float | int | None] = {"due": len(rows), "on_time": 0, "late": 0, "never": 0}
    on_time = sum(1 for row in rows if row["state"] == "on_time")
    late = sum(1 for row in rows if row["state"] == "late")
    counts.update(on_time=on_time, late=late, never=len(rows) - on_time - late)
    counts["rate"] = round(on_time / len(rows), 4) if rows else None
    return counts


def grid_coverage(grid: Grid, today: datetime.date | None = None) -> dict:
    rows = site_states(grid, today)
    officers = [u.username for u in grid.officers.all()]
    return {"grid": grid.code, "name": grid.name, "officers": officers, **_tally(rows),
            "sites": [{"enterprise_id": r["enterprise"].pk, "name": r["enterprise"].name,
                       "state": r["state"], "next_due": r["next_due"], "last_visit": r["last_visit"]}
                      for r in rows]}  # fmt: skip


def due_today(user, today: datetime.date | None = None) -> list[dict]:
    """The officer's phone list: sites of his grid due today or overdue (never visited included)."""
    if not getattr(user, "grid_id", None):
        return []
    today = today or timezone.localdate()
    return [r for r in site_states(user.grid, today) if r["next_due"] <= today]


def my_pending_inspections(user):
    """Drawn inspections assigned to the user and not yet done (checklists on the phone like patrols)."""
    from .models import DrawInspection

    if not getattr(user, "pk", None):
        return DrawInspection.objects.none()
    return (
        DrawInspection.objects.filter(inspectors=user, result=DrawInspection.Result.PENDING)
        .select_related("draw__item", "enterprise")
        .order_by("draw_id", "id")
    )


def my_recent_check_ins(user):
    return CheckIn.objects.filter(officer=user).select_related("enterprise").order_by("-received_at", "-id")


def coverage_summary(grids, today: datetime.date | None = None) -> dict:
    """Coverage per grid (with its officers), per officer, and per township and district by name — the office's
    coverage page, and the figures an evaluation reads."""
    from steelwatch.geo.models import Division

    grid_rows: list[dict] = []
    by_area: dict[str, list[dict]] = {}
    by_officer: dict[str, list[dict]] = {}
    for grid in grids.prefetch_related("officers"):
        rows = site_states(grid, today)
        names = [str(u) for u in grid.officers.all()]
        grid_rows.append({"grid": grid, "officers": names, **_tally(rows)})
        for code in (grid.division_id[:6], grid.division_id):
            by_area.setdefault(code, []).extend(rows)
        for name in names:
            by_officer.setdefault(name, []).extend(rows)
    labels = dict(Division.objects.filter(code__in=list(by_area)).values_list("code", "name"))
    areas = [
        {"code": code, "name": labels.get(code, code), **_tally(rows)}
        for code, rows in sorted(by_area.items())
    ]
    officers = [{"name": name, **_tally(rows)} for name, rows in sorted(by_officer.items())]
    return {"grids": grid_rows, "areas": areas, "officers": officers}


def training_candidates(user, session) -> list:
    """Who may attend a session: the active officials and grid officers of the session's unit, in the
    user's reach (accounts.access)."""
    from steelwatch.accounts.access import users_for

    prefix = session.division.prefix
    return list(
        users_for(user)
        .filter(is_active=True, division__code__startswith=prefix)
        .order_by("role", "username")[:500]
    )


def untrained(user, year: int) -> list:
    """Active users in the user's reach with no attended training in `year`."""
    from steelwatch.accounts.access import users_for

    from .models import TrainingAttendance

    trained = TrainingAttendance.objects.filter(attended=True, session__date__year=year).values("user_id")
    return list(
        users_for(user).filter(is_active=True).exclude(pk__in=trained).order_by("role", "username")[:500]
    )
