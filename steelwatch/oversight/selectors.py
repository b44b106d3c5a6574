"""Reads of the oversight app, on records already scoped by access.py."""

import datetime
from collections import defaultdict

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from steelwatch.geo.models import Division

from .metrics import FIGURES
from .models import (
    Campaign,
    PledgeRound,
    PledgeSignature,
    Rectification,
    ReportRound,
    ReportSubmission,
    TaskUnit,
)

# --- campaign board -----------------------------------------------------------------------------------------


def unit_task_state(unit: TaskUnit, today: datetime.date) -> str:
    if unit.state == TaskUnit.State.DONE:
        late = unit.done_at and timezone.localdate(unit.done_at) > unit.task.due_on
        return "done_late" if late else "done"
    return "overdue" if today > unit.task.due_on else "open"


STATE_LABELS = {
    "done": _("已完成"),
    "done_late": _("逾期完成"),
    "open": _("办理中"),
    "overdue": _("已超期"),
    "pending": _("未到期"),
    "submitted": _("按时报送"),
    "late": _("逾期报送"),
    "missing": _("未报送"),
}


def campaign_board(campaign: Campaign, today: datetime.date | None = None, *, only=None) -> dict:
    """Phases on a timeline, and the units × tasks grid with each cell's state, overdue units first.
    `only` (a queryset filter of TaskUnit) limits the grid to the caller's own units."""
    today = today or timezone.localdate()
    tasks = list(campaign.tasks.all())
    units = TaskUnit.objects.filter(task__campaign=campaign).select_related("task", "division")
    if only is not None:
        units = units.filter(pk__in=only.values("pk"))
    cells: dict[str, dict[int, TaskUnit]] = defaultdict(dict)
    divisions: dict[str, Division] = {}
    for unit in units:
        unit.board_state = unit_task_state(unit, today)
        cells[unit.division_id][unit.task_id] = unit
        divisions[unit.division_id] = unit.division
    rows = []
    for code, by_task in cells.items():
        overdue = sum(1 for u in by_task.values() if u.board_state == "overdue")
        rows.append(
            {"division": divisions[code], "overdue": overdue, "cells": [by_task.get(t.pk) for t in tasks]}
        )
    rows.sort(key=lambda r: (-r["overdue"], r["division"].code))
    phases = list(campaign.phases.all())
    span = max((campaign.ends_on - campaign.starts_on).days, 1)
    timeline = [
        {
            "phase": p,
            "left": round(100 * (p.starts_on - campaign.starts_on).days / span, 1),
            "width": max(round(100 * ((p.ends_on - p.starts_on).days + 1) / (span + 1), 1), 2),
            "current": p.starts_on <= today <= p.ends_on,
        }
        for p in phases
    ]
    return {
        "tasks": tasks,
        "rows": rows,
        "timeline": timeline,
        "today_left": min(max(round(100 * (today - campaign.starts_on).days / span, 1), 0), 100),
    }


# --- report rounds ------------------------------------------------------------------------------------------


def round_status(round_: ReportRound, submissions, today: datetime.date | None = None) -> list[dict]:
    today = today or timezone.localdate()
    return [
        {
            "division_code": s.division_id,
            "division": s.division,
            "state": s.state_on(today),
            "submitted_at": s.submitted_at,
            "submission": s,
        }
        for s in submissions
    ]


def round_summary(round_: ReportRound, submissions) -> list[dict]:
    """Each figure summed over the units that submitted."""
    totals = {key: 0 for key in round_.figure_keys}
    submitted = [s for s in submissions if s.submitted_at]
    for s in submitted:
        for key in totals:
            totals[key] += int(s.figures.get(key) or 0)
    return [
        {
            "key": key,
            "label": str(FIGURES[key].label) if key in FIGURES else key,
            "total": total,
            "units": len(submitted),
        }
        for key, total in totals.items()
    ]


# --- pledges ------------------------------------------------------------------------------------------------


def _expected(round_: PledgeRound, level: str, within: str = "") -> list[tuple[str, str, str]]:
    """(key, name, area) of the units expected to sign at `level` (inside the `within` prefix, if given)."""
    from steelwatch.registry.models import Enterprise

    prefix = within if within.startswith(round_.division.prefix) else round_.division.prefix
    if level == "enterprise":
        rows = (
            Enterprise.objects.filter(division__code__startswith=prefix, status__in=("operating", "idle"))
            .select_related("division", "division__parent")
            .order_by("division_id", "name")
        )
        return [(f"e{e.pk}", e.name, e.division.area_name) for e in rows]
    wanted = Division.Level.DISTRICT if level == "district" else Division.Level.TOWNSHIP
    rows = Division.objects.filter(code__startswith=prefix, level=wanted).exclude(code=round_.division_id)
    return [(d.code, d.name, d.area_name) for d in rows.select_related("parent").order_by("code")]


def pledge_coverage(round_: PledgeRound, *, within: str = "") -> list[dict]:
    """Per level: expected and signed counts and the names of those not signed (optionally inside `within`,
    a division prefix: a district sees its own townships and enterprises)."""
    signatures = PledgeSignature.objects.filter(round=round_)
    signed = {
        f"e{eid}"
        for eid in signatures.filter(enterprise__isnull=False).values_list("enterprise_id", flat=True)
    }
    signed |= set(signatures.filter(enterprise__isnull=True).values_list("division_id", flat=True))
    out = []
    for level in round_.levels:
        expected = _expected(round_, level, within)
        missing = [{"key": k, "name": n, "area": a} for k, n, a in expected if k not in signed]
        out.append(
            {
                "level": level,
                "label": str(PledgeRound.Level(level).label),
                "expected": len(expected),
                "signed": len(expected) - len(missing),
                "missing": missing,
            }
        )
    return out


def pledge_coverage_in(prefix: str, start: datetime.date, end: datetime.date) -> list[dict]:
    """Coverage inside one unit of every pledge round issued above it and due in the period."""
    rounds = PledgeRound.objects.filter(due_on__gte=start, due_on__lte=end).select_related("division")
    out = []
    for round_ in rounds:
        if not prefix.startswith(round_.division.prefix) or prefix == round_.division.prefix:
            continue
        for level in pledge_coverage(round_, within=prefix):
            out.append(level)
    return out


# --- a unit's own page and its to-do list --------------------------------------------------------------------


def my_items(user, today: datetime.date | None = None) -> dict:
    """What the caller's own unit owes: open task shares, reports not yet submitted, open rectifications."""
    from steelwatch.accounts.roles import Role, can

    today = today or timezone.localdate()
    own = {"division_id": getattr(user, "division_id", None)}
    department = user.department if getattr(user, "role", "") == Role.DEPARTMENT_STAFF else ""
    units = list(
        TaskUnit.objects.filter(**own, department=department, state=TaskUnit.State.OPEN)
        .select_related("task", "task__campaign", "division")
        .order_by("task__due_on")
    )
    for unit in units:
        unit.board_state = unit_task_state(unit, today)
    reports = []
    if can(user, "oversight.report"):
        reports = [
            (r, r.state_on(today))
            for r in ReportSubmission.objects.filter(**own, submitted_at__isnull=True)
            .select_related("round", "round__campaign", "division")
            .order_by("round__due_on")
        ]
    rectifications = (
        list(Rectification.objects.filter(**own, state__in=Rectification.OPEN_STATES).order_by("due_on"))
        if can(user, "oversight.report")
        else []
    )
    return {"units": units, "reports": reports, "rectifications": rectifications}


def unit_record(user, division: Division) -> dict:
    """Everything oversight holds about one unit, as far as the caller may see it."""
    from . import access

    return {
        "summonses": access.summonses_for(user).filter(division=division),
        "rectifications": access.rectifications_for(user).filter(division=division),
        "submissions": [
            (s, s.state_on(timezone.localdate()))
            for s in ReportSubmission.objects.filter(
                division=division, round__campaign__in=access.campaigns_for(user)
            )
            .select_related("round", "round__campaign")
            .order_by("-round__due_on")[:50]
        ],
        "evaluations": [
            (e, next((r for r in e.results if r["code"] == division.code), None))
            for e in access.evaluations_for(user).filter(division=division.parent)[:12]
        ],
        "documents": access.documents_for(user).filter(
            Q(target_division=division) | Q(target_division__isnull=True, division_id=division.parent_id)
        )[:50],
    }


def readiness(division: Division, today: datetime.date | None = None) -> list[dict]:
    """The checklist before an announced national or provincial inspection, from the platform's data."""
    from steelwatch.cases.models import Case, Revisit
    from steelwatch.registry.models import Enterprise
    from steelwatch.tips.models import Tip

    today = today or timezone.localdate()
    prefix = division.prefix
    enterprises = Enterprise.objects.filter(division__code__startswith=prefix)
    no_grid = enterprises.filter(Q(grid__isnull=True) | Q(supervisor__isnull=True)).count()
    unproven = Case.objects.filter(
        division__code__startswith=prefix, state__in=("confirmed", "enforcing", "closing")
    )
    late_revisits = Revisit.objects.filter(
        division__code__startswith=prefix, status="pending", due_date__lt=today
    )
    open_tips = Tip.objects.filter(
        division__code__startswith=prefix,
        verified_at__isnull=True,
        merged_into__isnull=True,
        verify_due__lt=today,
    )
    return [
        {
            "key": "ledger",
            "label": _("台账完整：每家企业有网格和监管责任人"),
            "open": no_grid,
            "total": enterprises.count(),
        },
        {
            "key": "closures",
            "label": _("销号到位：认定违法的案件均已“五个彻底”验收"),
            "open": unproven.count(),
        },
        {"key": "revisits", "label": _("“回头看”按期完成"), "open": late_revisits.count()},
        {"key": "tips", "label": _("举报按期核查办结"), "open": open_tips.count()},
    ]


def campaigns_with_counts(queryset):
    return queryset.annotate(
        task_count=Count("tasks", distinct=True), round_count=Count("report_rounds", distinct=True)
    )
