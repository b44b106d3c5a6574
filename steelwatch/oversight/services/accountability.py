"""Accountability: summonses (约谈), rectification orders (限期整改) as a rule table, accountability proposals
(追责问责建议), and supervision visits (督查) whose findings become rectification items."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from steelwatch.core.access import user_covers_division
from steelwatch.core.audit import audit_record, snapshot
from steelwatch.core.notify import notify, stored_language, users_with
from steelwatch.core.services import audited_create
from steelwatch.geo.models import Division

from ..access import may_manage, require_manage
from ..models import AccountabilityProposal, Rectification, Summons, SupervisionVisit
from ._common import files_atomic, store_upload, user_or_none

R = Rectification.State


def _target(office: Division, division: Division, field: str = "division_code") -> None:
    if not office.contains(division.code) or office.code == division.code:
        raise ValidationError({field: _("%(name)s不在本单位辖区内") % {"name": division.name}})


def _office_of(actor) -> Division:
    return actor.division


def _tell_unit(division: Division, text: str, url: str) -> None:
    notify(users_with("oversight.report", division.code), text, url)


def summons_record(
    *,
    actor,
    division: Division,
    reason: str,
    held_on: datetime.date,
    place: str = "",
    attendees: str = "",
    minutes: str = "",
    basis: list[dict] = (),
) -> Summons:
    """Record a summons of a unit's leaders: date, place, attendees, minutes, and what caused it."""
    office = _office_of(actor)
    require_manage(actor, division.code)
    _target(office, division)
    summons = audited_create(
        actor=actor,
        instance=Summons(
            division=division,
            issued_by_division=office,
            reason=reason,
            held_on=held_on,
            place=place,
            attendees=attendees,
            minutes=minutes,
            basis=list(basis),
            created_by=user_or_none(actor),
        ),
        action="summons_record",
        division_code=division.code,
    )
    with stored_language():
        text = _("约谈通知：%(date)s，%(reason)s") % {"date": held_on.isoformat(), "reason": reason[:80]}
    _tell_unit(division, text, f"/oversight/units/{division.code}/")
    return summons


def rectification_issue(
    *,
    actor,
    division: Division,
    reason: str,
    due_on: datetime.date,
    issued_on: datetime.date | None = None,
    owner: str = "",
    basis: list[dict] = (),
    source: str = Rectification.Source.ORDER,
    visit: SupervisionVisit | None = None,
) -> Rectification:
    office = _office_of(actor)
    require_manage(actor, division.code)
    _target(office, division)
    issued_on = issued_on or timezone.localdate()
    if due_on < issued_on:
        raise ValidationError({"due_on": _("整改时限不能早于下达日期")})
    order = audited_create(
        actor=actor,
        instance=Rectification(
            division=division,
            issued_by_division=office,
            source=source,
            reason=reason,
            owner=owner,
            issued_on=issued_on,
            due_on=due_on,
            basis=list(basis),
            visit=visit,
            created_by=user_or_none(actor),
        ),
        action="rectification_issue",
        division_code=division.code,
    )
    with stored_language():
        text = _("限期整改：%(reason)s（%(due)s前）") % {"reason": reason[:80], "due": due_on.isoformat()}
    _tell_unit(division, text, f"/oversight/units/{division.code}/")
    return order


# --- the rectification workflow as a rule table ------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    state: str
    action: str
    to: str
    by: str  # "unit" (the ordered unit) | "office" (the issuing office)
    label: str
    needs: str = ""  # the field that must be given


RECTIFICATION_RULES = (
    Rule(R.ISSUED, "report", R.REPORTED, "unit", gettext_lazy("报送整改情况"), needs="report"),
    Rule(R.REJECTED, "report", R.REPORTED, "unit", gettext_lazy("重新报送整改情况"), needs="report"),
    Rule(R.REPORTED, "accept", R.ACCEPTED, "office", gettext_lazy("验收通过")),
    Rule(R.REPORTED, "reject", R.REJECTED, "office", gettext_lazy("验收不通过"), needs="note"),
)


def _may(actor, order: Rectification, rule: Rule) -> bool:
    if rule.by == "office":
        return may_manage(actor, order.issued_by_division_id)
    from steelwatch.accounts.roles import can

    return can(actor, "oversight.report") and user_covers_division(actor, order.division_id)


def rectification_actions_for(actor, order: Rectification) -> list[Rule]:
    return [r for r in RECTIFICATION_RULES if r.state == order.state and _may(actor, order, r)]


def rectification_transition(
    *, actor, order: Rectification, action: str, report: str = "", note: str = "", evidence=None
) -> Rectification:
    rule = next((r for r in RECTIFICATION_RULES if r.state == order.state and r.action == action), None)
    if rule is None:
        raise ValidationError(
            {"action": _("当前状态（%(state)s）不能执行此操作") % {"state": order.get_state_display()}}
        )
    if not _may(actor, order, rule):
        raise PermissionDenied(_("只有整改单位可以报送整改情况，只有下达单位可以验收"))
    given = {"report": report.strip(), "note": note.strip()}
    if rule.needs and not given[rule.needs]:
        raise ValidationError(
            {
                rule.needs: _("请填写%(what)s")
                % {"what": _("整改情况") if rule.needs == "report" else _("验收意见")}
            }
        )
    with files_atomic() as written:
        before = snapshot(order)
        if rule.by == "unit":
            order.report, order.reported_at = given["report"], timezone.now()
            if evidence is not None:
                order.evidence, _digest = store_upload(
                    written, evidence, f"oversight/rectifications/{order.pk}"
                )
        else:
            order.decision_note, order.decided_at = given["note"], timezone.now()
        order.state = rule.to
        order.save()
        audit_record(
            actor=actor,
            action=f"rectification_{action}",
            target=order,
            before=before,
            after=snapshot(order),
            reason=given["note"],
            division_code=order.division_id,
        )
    with stored_language():
        text = _("整改事项“%(reason)s”：%(state)s") % {
            "reason": order.reason[:60],
            "state": order.get_state_display(),
        }
    recipients = (
        users_with("oversight.manage", order.issued_by_division_id)
        if rule.by == "unit"
        else users_with("oversight.report", order.division_id)
    )
    notify(recipients, text, f"/oversight/units/{order.division_id}/")
    return order


def accountability_propose(
    *, actor, division: Division, facts: str, persons: str = "", basis: list[dict] = ()
) -> AccountabilityProposal:
    office = _office_of(actor)
    require_manage(actor, division.code)
    _target(office, division)
    return audited_create(
        actor=actor,
        instance=AccountabilityProposal(
            division=division,
            issued_by_division=office,
            facts=facts,
            persons=persons,
            proposed_on=timezone.localdate(),
            basis=list(basis),
            created_by=user_or_none(actor),
        ),
        action="accountability_propose",
        division_code=division.code,
    )


@transaction.atomic
def visit_record(
    *,
    actor,
    division: Division,
    visited_on: datetime.date,
    team: str,
    summary: str = "",
    unannounced: bool = False,
    enterprise=None,
    findings: list[dict] = (),
) -> SupervisionVisit:
    """A supervision visit; each finding ({reason, owner, due_on}) becomes a rectification item."""
    office = _office_of(actor)
    require_manage(actor, division.code)
    _target(office, division)
    visit = audited_create(
        actor=actor,
        instance=SupervisionVisit(
            division=division,
            issued_by_division=office,
            enterprise=enterprise,
            unannounced=unannounced,
            visited_on=visited_on,
            team=team,
            summary=summary,
            created_by=user_or_none(actor),
        ),
        action="visit_record",
        division_code=division.code,
    )
    for finding in findings:
        rectification_issue(
            actor=actor,
            division=division,
            reason=finding["reason"],
            owner=finding.get("owner", ""),
            due_on=finding["due_on"],
            issued_on=visited_on,
            source=Rectification.Source.VISIT,
            visit=visit,
        )
    return visit
