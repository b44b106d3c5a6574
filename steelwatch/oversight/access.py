"""The one door to oversight records.

- The issuing office (and everyone above it) sees a campaign, its rounds and every unit's submission.
- A unit (a district, a township, a department user in it) sees the campaigns that give it a task or a report,
  and only its OWN submissions, task shares, pledges, summonses and rectification orders — never another
  unit's, so one district never reads another's report.
- Everything else is "not found".
"""

from django.db.models import Q

from steelwatch.core.access import get_or_404, jurisdiction_q, require, user_covers_division

from .models import (
    Campaign,
    Document,
    Evaluation,
    PledgeRound,
    Rectification,
    ReportRound,
    ReportSubmission,
    Summons,
    TaskUnit,
)


def campaigns_for(user):
    require(user, "oversight.view")
    as_unit = Campaign.objects.filter(
        Q(report_rounds__submissions__in=ReportSubmission.objects.filter(jurisdiction_q(user)))
        | Q(tasks__units__in=TaskUnit.objects.filter(jurisdiction_q(user)))
    )
    return Campaign.objects.filter(Q(jurisdiction_q(user)) | Q(pk__in=as_unit.values("pk"))).select_related(
        "division"
    )


def access_campaign(user, campaign_id: int) -> Campaign:
    return get_or_404(campaigns_for(user), pk=campaign_id)


def may_manage(user, division_code: str) -> bool:
    """The office that issued a record (or one above it) manages it."""
    from steelwatch.accounts.roles import can

    return can(user, "oversight.manage") and user_covers_division(user, division_code)


def require_manage(user, division_code: str) -> None:
    require(user, "oversight.manage")
    if not user_covers_division(user, division_code):
        from django.core.exceptions import PermissionDenied
        from django.utils.translation import gettext as _

        raise PermissionDenied(_("只有发文单位可以办理此事项"))


def report_rounds_for(user):
    return ReportRound.objects.filter(campaign__in=campaigns_for(user)).select_related("campaign")


def access_report_round(user, round_id: int) -> ReportRound:
    return get_or_404(report_rounds_for(user), pk=round_id)


def submissions_for(user, report_round: ReportRound):
    """All units' submissions for the issuing office; only the caller's own unit(s) otherwise."""
    rows = report_round.submissions.select_related("division", "submitted_by")
    if user_covers_division(user, report_round.campaign.division_id):
        return rows
    return rows.filter(jurisdiction_q(user))


def access_submission(user, round_id: int, division_code: str) -> ReportSubmission:
    return get_or_404(submissions_for(user, access_report_round(user, round_id)), division_id=division_code)


def task_units_for(user):
    require(user, "oversight.view")
    return TaskUnit.objects.filter(
        Q(jurisdiction_q(user)) | Q(jurisdiction_q(user, "task__campaign__division"))
    ).select_related("task", "task__campaign", "division")


def access_task_unit(user, unit_id: int) -> TaskUnit:
    return get_or_404(task_units_for(user), pk=unit_id)


def pledge_rounds_for(user):
    """The issuing office sees its rounds; a unit sees the rounds issued above it that it must sign."""
    require(user, "oversight.view")
    if getattr(user, "division_prefix", None) is None:
        return PledgeRound.objects.none()
    return PledgeRound.objects.filter(
        Q(jurisdiction_q(user)) | Q(division_id__in=_offices_above(user))
    ).select_related("division")


def access_pledge_round(user, round_id: int) -> PledgeRound:
    return get_or_404(pledge_rounds_for(user), pk=round_id)


def _unit_records(model, user):
    """Records about a unit: seen by the unit itself and by the office that issued them."""
    require(user, "oversight.view")
    return model.objects.filter(
        Q(jurisdiction_q(user)) | Q(jurisdiction_q(user, "issued_by_division"))
    ).select_related("division")


def summonses_for(user):
    return _unit_records(Summons, user)


def rectifications_for(user):
    return _unit_records(Rectification, user)


def access_summons(user, summons_id: int) -> Summons:
    return get_or_404(summonses_for(user), pk=summons_id)


def access_rectification(user, rectification_id: int) -> Rectification:
    return get_or_404(rectifications_for(user), pk=rectification_id)


def evaluations_for(user):
    require(user, "oversight.view")
    return Evaluation.objects.filter(jurisdiction_q(user)).select_related("division")


def access_evaluation(user, evaluation_id: int) -> Evaluation:
    return get_or_404(evaluations_for(user), pk=evaluation_id)


def _offices_above(user) -> list[str]:
    prefix = getattr(user, "division_prefix", None) or ""
    return [prefix[:n].ljust(6, "0") for n in (2, 4) if n < len(prefix)] + (
        [prefix[:6]] if len(prefix) > 6 else []
    )


def documents_for(user):
    """Documents issued in the caller's area or addressed to it, and those circulated (no single addressee)
    by the offices above it, e.g. an evaluation notice."""
    require(user, "oversight.view")
    return Document.objects.filter(
        Q(jurisdiction_q(user))
        | Q(jurisdiction_q(user, "target_division"))
        | Q(target_division__isnull=True, division_id__in=_offices_above(user))
    )


def access_document(user, document_id: int) -> Document:
    return get_or_404(documents_for(user), pk=document_id)


def access_unit(user, division_code: str):
    """A division inside the caller's jurisdiction (a unit's page, a summons target …), else not found."""
    from steelwatch.geo.models import Division

    require(user, "oversight.view")
    return get_or_404(
        Division.objects.filter(jurisdiction_q(user, code_field="code")).select_related("parent"),
        code=division_code,
    )
