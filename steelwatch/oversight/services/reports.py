"""Report rounds (信息报送): every unit submits figures and text by the due date; the figures the platform
can compute for the unit are pre-filled from its own data and confirmed or corrected by the unit."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steelwatch.core.access import require
from steelwatch.core.audit import audit_record, snapshot

from ..access import require_manage
from ..metrics import DEFAULT_FIGURES, FIGURES
from ..models import Campaign, ReportRound, ReportSubmission
from ._common import check_dates, files_atomic, is_unit_member, store_upload, units_below, user_or_none

MAX_FIGURE = 10_000_000


def prefill(round_: ReportRound, division) -> dict:
    """The round's figures computed from the unit's own data for the round's period."""
    return {
        key: FIGURES[key].compute(division.prefix, round_.period_start, round_.period_end)
        for key in round_.figure_keys
        if key in FIGURES
    }


def report_round_add(
    *,
    actor,
    campaign: Campaign,
    title: str,
    due_on: datetime.date,
    division_codes: list[str] = (),
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
    figure_keys: list[str] | None = None,
    field: str = "report_rounds",
) -> ReportRound:
    """A round of reports for the named units (every child unit of the campaign's office when none).
    A due date in the past is accepted: rounds are often recorded after the fact."""
    require_manage(actor, campaign.division_id)
    keys = list(figure_keys) if figure_keys else list(DEFAULT_FIGURES)
    unknown = [k for k in keys if k not in FIGURES]
    if unknown:
        raise ValidationError(
            {f"{field}.figure_keys": _("未知指标：%(keys)s") % {"keys": "、".join(unknown)}}
        )
    start, end = period_start or campaign.starts_on, period_end or due_on
    check_dates(start, end, field=f"{field}.period_end")
    with transaction.atomic():
        round_ = ReportRound(
            campaign=campaign,
            title=title,
            due_on=due_on,
            period_start=start,
            period_end=end,
            figure_keys=keys,
        )
        round_.full_clean()
        round_.save()
        units = units_below(campaign.division, list(division_codes), field=f"{field}.division_codes")
        ReportSubmission.objects.bulk_create(ReportSubmission(round=round_, division=u) for u in units)
        audit_record(
            actor=actor,
            action="report_round_add",
            target=round_,
            after=snapshot(round_),
            division_code=campaign.division_id,
        )
    return round_


def _clean_figures(round_: ReportRound, figures: dict) -> dict:
    cleaned = {}
    for key, value in (figures or {}).items():
        if key not in round_.figure_keys:
            raise ValidationError({f"figures.{key}": _("本轮报送没有此项指标")})
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_FIGURE:
            raise ValidationError({f"figures.{key}": _("应为 0 至 %(max)s 的整数") % {"max": MAX_FIGURE}})
        cleaned[key] = value
    return cleaned


def report_submit(
    *, actor, submission: ReportSubmission, figures: dict, text: str, attachment=None
) -> ReportSubmission:
    """The unit submits (or, before the office has read it, corrects) its report. Figures not given are
    taken from the platform's pre-fill; the time of the FIRST submission decides on-time or late."""
    require(actor, "oversight.report")
    if not is_unit_member(actor, submission.division_id):
        raise PermissionDenied(_("只有报送单位可以报送"))
    round_ = submission.round
    cleaned = _clean_figures(round_, figures)
    if not text.strip():
        raise ValidationError({"text": _("请填写工作情况")})
    with files_atomic() as written:
        before = snapshot(submission)
        submission.prefilled = prefill(round_, submission.division)
        submission.figures = {**submission.prefilled, **cleaned}
        submission.text = text.strip()
        if attachment is not None:
            submission.attachment, _digest = store_upload(
                written, attachment, f"oversight/reports/{round_.pk}"
            )
        submission.submitted_by = user_or_none(actor)
        submission.submitted_at = submission.submitted_at or timezone.now()
        submission.full_clean()
        submission.save()
        audit_record(
            actor=actor,
            action="report_submit",
            target=submission,
            before=before,
            after=snapshot(submission),
            division_code=submission.division_id,
        )
    return submission
