"""The leading group, campaigns (phases, tasks to units) and a unit's progress on its task."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steelwatch.accounts.roles import Department
from steelwatch.core.audit import audit_record, snapshot
from steelwatch.core.notify import notify, stored_language, users_with
from steelwatch.core.services import audited_create
from steelwatch.geo.models import Division

from ..access import require_manage
from ..models import Campaign, CampaignTask, GroupMember, LeadingGroup, Phase, TaskUnit
from ._common import check_dates, files_atomic, is_unit_member, store_upload, units_below, user_or_none
from .reports import report_round_add

DEPARTMENTS = {value for value, _label in Department.choices}


@transaction.atomic
def leading_group_save(
    *,
    actor,
    division: Division,
    name: str,
    office_name: str,
    office_department: str,
    contact: str = "",
    members: list[dict],
) -> LeadingGroup:
    """Create or replace the leading group of a city or county: its office and its members."""
    require_manage(actor, division.code)
    before = snapshot(LeadingGroup.objects.filter(division=division).first())
    group, _created = LeadingGroup.objects.update_or_create(
        division=division,
        defaults={
            "name": name,
            "office_name": office_name,
            "office_department": office_department,
            "contact": contact,
        },
    )
    group.full_clean()
    group.members.all().delete()
    for member in members:
        GroupMember(group=group, **member).full_clean(exclude=["group"])
    GroupMember.objects.bulk_create(GroupMember(group=group, **m) for m in members)
    audit_record(
        actor=actor,
        action="leading_group_save",
        target=group,
        before=before,
        after={**snapshot(group), "members": members},
        division_code=division.code,
    )
    return group


def _check_departments(values: list[str], field: str) -> None:
    bad = [v for v in values if v not in DEPARTMENTS]
    if bad:
        raise ValidationError({field: _("未知部门：%(names)s") % {"names": "、".join(bad)}})


@transaction.atomic
def campaign_create(
    *,
    actor,
    division: Division,
    title: str,
    document_number: str = "",
    goals: str = "",
    starts_on: datetime.date,
    ends_on: datetime.date,
    phases: list[dict] = (),
    tasks: list[dict] = (),
    report_rounds: list[dict] = (),
    copied_from: Campaign | None = None,
) -> Campaign:
    """Issue a campaign with its phases, its tasks to units (every child unit when none is named) and its
    report rounds. Units are told of their tasks."""
    require_manage(actor, division.code)
    check_dates(starts_on, ends_on, field="ends_on")
    campaign = audited_create(
        actor=actor,
        instance=Campaign(
            division=division,
            title=title,
            document_number=document_number,
            goals=goals,
            starts_on=starts_on,
            ends_on=ends_on,
            copied_from=copied_from,
            created_by=user_or_none(actor),
        ),
        action="campaign_create",
    )
    for i, phase in enumerate(phases):
        check_dates(phase["starts_on"], phase["ends_on"], field=f"phases[{i}].ends_on")
        Phase.objects.create(campaign=campaign, **phase)
    assigned: dict[str, Division] = {}
    for i, task in enumerate(tasks):
        _check_departments([task["lead_department"]], f"tasks[{i}].lead_department")
        _check_departments(task.get("supporting_departments") or [], f"tasks[{i}].supporting_departments")
        units = units_below(division, task.get("division_codes") or [], field=f"tasks[{i}].division_codes")
        row = CampaignTask.objects.create(
            campaign=campaign,
            title=task["title"],
            lead_department=task["lead_department"],
            supporting_departments=task.get("supporting_departments") or [],
            due_on=task["due_on"],
        )
        departments = [row.lead_department, *row.supporting_departments]
        TaskUnit.objects.bulk_create(
            [TaskUnit(task=row, division=division, department=d) for d in dict.fromkeys(departments)]
            + [TaskUnit(task=row, division=unit) for unit in units]
        )
        assigned.update({u.code: u for u in units})
        with stored_language():
            text = _("专项行动任务：%(task)s（%(due)s前）") % {
                "task": row.title[:80],
                "due": row.due_on.isoformat(),
            }
        for department in dict.fromkeys(departments):
            notify(
                [
                    u
                    for u in users_with("oversight.view", division.code, department=department)
                    if u.division_id == division.code
                ],
                text,
                f"/oversight/campaigns/{campaign.pk}/",
            )
    for i, spec in enumerate(report_rounds):
        report_round_add(actor=actor, campaign=campaign, field=f"report_rounds[{i}]", **spec)
    with stored_language():
        text = _("新的专项行动：%(title)s（%(number)s）") % {"title": title, "number": document_number or "—"}
    url = f"/oversight/campaigns/{campaign.pk}/"
    for unit in assigned.values():
        notify(users_with("oversight.report", unit.code), text, url)
    return campaign


def _shift(day: datetime.date, delta: datetime.timedelta) -> datetime.date:
    return day + delta


@transaction.atomic
def campaign_copy(
    *, actor, campaign: Campaign, starts_on: datetime.date, title: str = "", document_number: str = ""
) -> Campaign:
    """A new campaign with the same phases, tasks, units and report rounds, every date moved by the same
    number of days (so that the new one starts on `starts_on`)."""
    delta = starts_on - campaign.starts_on
    return campaign_create(
        actor=actor,
        division=campaign.division,
        title=title or campaign.title,
        document_number=document_number,
        goals=campaign.goals,
        starts_on=starts_on,
        ends_on=_shift(campaign.ends_on, delta),
        phases=[
            {"name": p.name, "starts_on": _shift(p.starts_on, delta), "ends_on": _shift(p.ends_on, delta)}
            for p in campaign.phases.all()
        ],
        tasks=[
            {
                "title": t.title,
                "lead_department": t.lead_department,
                "supporting_departments": t.supporting_departments,
                "due_on": _shift(t.due_on, delta),
                "division_codes": [u.division_id for u in t.units.all()],
            }
            for t in campaign.tasks.all()
        ],
        report_rounds=[
            {
                "title": r.title,
                "due_on": _shift(r.due_on, delta),
                "period_start": _shift(r.period_start, delta),
                "period_end": _shift(r.period_end, delta),
                "division_codes": [s.division_id for s in r.submissions.all()],
                "figure_keys": r.figure_keys,
            }
            for r in campaign.report_rounds.all()
        ],
        copied_from=campaign,
    )


def task_unit_update(*, actor, unit: TaskUnit, progress: str, done: bool = False, evidence=None) -> TaskUnit:
    """A unit records its progress on its share of a task, with evidence, and may mark it done."""
    if not is_unit_member(actor, unit.division_id, unit.department):
        raise PermissionDenied(_("只有承办单位可以填报进展"))
    if done and not (progress.strip() or unit.progress):
        raise ValidationError({"progress": _("标记完成前请填写完成情况")})
    with files_atomic() as written:
        before = snapshot(unit)
        unit.progress = progress.strip() or unit.progress
        if evidence is not None:
            unit.evidence, _digest = store_upload(written, evidence, f"oversight/tasks/{unit.pk}")
        if done and unit.state != TaskUnit.State.DONE:
            unit.state, unit.done_at = TaskUnit.State.DONE, timezone.now()
        unit.full_clean()
        unit.save()
        audit_record(
            actor=actor,
            action="task_unit_update",
            target=unit,
            before=before,
            after=snapshot(unit),
            division_code=unit.division_id,
        )
    return unit
