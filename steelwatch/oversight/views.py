"""Oversight pages: the office's campaign board, a unit's "my tasks and reports due", report rounds, pledge
rounds, the evaluation with its ranking chart, and a unit's own page. Views parse and call; nothing else."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from steelwatch.accounts.roles import can
from steelwatch.core import files
from steelwatch.registry.access import access_enterprise_by_uscc

from . import access, forms, selectors, services
from .metrics import FIGURES, METRICS
from .services.evaluation import evaluate_units
from .services.reports import prefill


def _errors(form, exc: ValidationError) -> None:
    for field, problems in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
        target = field.split(".")[0].split("[")[0]
        form.add_error(target if target in form.fields else None, problems)


def home(request):
    """The office sees its campaigns; every unit sees what it owes."""
    campaigns = selectors.campaigns_with_counts(access.campaigns_for(request.user))
    return render(
        request,
        "oversight/home.html",
        {
            "campaigns": campaigns[:50],
            "mine": selectors.my_items(request.user),
            "may_manage": can(request.user, "oversight.manage"),
            "today": timezone.localdate(),
            "labels": selectors.STATE_LABELS,
        },
    )


def campaign_create(request):
    access.require_manage(request.user, request.user.division_id or "")
    form = forms.CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(
                actor=request.user, division=request.user.division, **form.cleaned_data
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("专项行动已下达"))
            return redirect("oversight:campaign", campaign.pk)
    return render(request, "oversight/campaign_form.html", {"form": form})


def campaign_detail(request, campaign_id: int):
    campaign = access.access_campaign(request.user, campaign_id)
    office = access.may_manage(request.user, campaign.division_id)
    only = None if office else access.task_units_for(request.user).filter(division=request.user.division)
    rounds = []
    for round_ in campaign.report_rounds.all():
        states = [
            r["state"] for r in selectors.round_status(round_, access.submissions_for(request.user, round_))
        ]
        rounds.append(
            {
                "round": round_,
                "counts": {s: states.count(s) for s in ("submitted", "late", "missing", "pending")},
            }
        )
    return render(
        request,
        "oversight/campaign_detail.html",
        {
            "campaign": campaign,
            "board": selectors.campaign_board(campaign, only=only),
            "rounds": rounds,
            "office": office,
            "labels": selectors.STATE_LABELS,
            "copy_form": forms.CopyForm(),
            "progress_form": forms.TaskProgressForm(),
        },
    )


@require_POST
def campaign_copy(request, campaign_id: int):
    campaign = access.access_campaign(request.user, campaign_id)
    form = forms.CopyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写新行动的开始日期"))
        return redirect("oversight:campaign", campaign.pk)
    copy = services.campaign_copy(actor=request.user, campaign=campaign, **form.cleaned_data)
    messages.success(request, _("已按原行动复制新的专项行动，请核对日期"))
    return redirect("oversight:campaign", copy.pk)


@require_POST
def task_progress(request, unit_id: int):
    unit = access.access_task_unit(request.user, unit_id)
    form = forms.TaskProgressForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.task_unit_update(
                actor=request.user,
                unit=unit,
                progress=form.cleaned_data["progress"],
                done=form.cleaned_data["done"],
                evidence=form.cleaned_data["evidence"],
            )
            messages.success(request, _("进展已报送"))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    else:
        messages.error(request, _("请填写进展情况"))
    return redirect("oversight:campaign", unit.task.campaign_id)


def report_round(request, round_id: int):
    round_ = access.access_report_round(request.user, round_id)
    submissions = list(access.submissions_for(request.user, round_))
    office = access.may_manage(request.user, round_.campaign.division_id)
    own = next((s for s in submissions if s.division_id == request.user.division_id), None)
    form = None
    if own is not None and can(request.user, "oversight.report"):
        values = own.figures or prefill(round_, own.division)
        figures = [(k, FIGURES[k].label, values.get(k, 0)) for k in round_.figure_keys if k in FIGURES]
        form = forms.SubmissionForm(
            request.POST or None, request.FILES or None, figures=figures, initial={"text": own.text}
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.report_submit(
                    actor=request.user,
                    submission=own,
                    figures=form.figures(),
                    text=form.cleaned_data["text"],
                    attachment=form.cleaned_data["attachment"],
                )
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, "；".join(getattr(exc, "messages", [str(exc)])))
            else:
                messages.success(request, _("已报送"))
                return redirect("oversight:report_round", round_.pk)
    return render(
        request,
        "oversight/report_round.html",
        {
            "round": round_,
            "rows": selectors.round_status(round_, submissions),
            "office": office,
            "own": own,
            "form": form,
            "summary": selectors.round_summary(round_, submissions) if office else None,
            "labels": selectors.STATE_LABELS,
            "figure_labels": {k: f.label for k, f in FIGURES.items()},
        },
    )


@require_POST
def summary_download(request, campaign_id: int, fmt: str):
    """Start the export of a campaign's summary table (a background job: its page shows progress, then the
    download)."""
    from .tasks import summary_export_start

    campaign = access.access_campaign(request.user, campaign_id)
    if fmt not in ("xlsx", "pdf") or not access.may_manage(request.user, campaign.division_id):
        raise Http404
    return redirect("core:job_status", summary_export_start(user=request.user, campaign=campaign, fmt=fmt).pk)


def pledge_list(request):
    rounds = access.pledge_rounds_for(request.user)
    form = forms.PledgeRoundForm(request.POST or None) if can(request.user, "oversight.manage") else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            round_ = services.pledge_round_create(
                actor=request.user, division=request.user.division, **form.cleaned_data
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            return redirect("oversight:pledge", round_.pk)
    return render(request, "oversight/pledge_list.html", {"rounds": rounds[:100], "form": form})


def pledge_detail(request, round_id: int):
    round_ = access.access_pledge_round(request.user, round_id)
    within = "" if access.may_manage(request.user, round_.division_id) else request.user.division_prefix
    form = forms.SignForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        unit = form.cleaned_data["unit"].strip().upper()
        try:
            division = access.access_unit(request.user, unit) if unit.isdigit() and len(unit) <= 12 else None
            enterprise = None if division else access_enterprise_by_uscc(request.user, unit)
            services.pledge_sign(
                actor=request.user,
                round_=round_,
                signer=form.cleaned_data["signer"],
                signed_on=form.cleaned_data["signed_on"],
                scan=form.cleaned_data["scan"],
                division=division,
                enterprise=enterprise,
            )
        except Http404:
            form.add_error("unit", _("辖区内没有该单位或企业"))
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, "；".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("已登记签订"))
            return redirect("oversight:pledge", round_.pk)
    return render(
        request,
        "oversight/pledge_detail.html",
        {
            "round": round_,
            "coverage": selectors.pledge_coverage(round_, within=within),
            "form": form,
        },
    )


def _period(request) -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    form = forms.EvaluationForm(request.GET or None)
    if form.is_valid() and form.cleaned_data["period_start"] <= form.cleaned_data["period_end"]:
        return form.cleaned_data["period_start"], form.cleaned_data["period_end"]
    return today.replace(day=1) - datetime.timedelta(days=90), today


def evaluation(request):
    access.require_manage(request.user, request.user.division_id or "")
    start, end = _period(request)
    rows = evaluate_units(request.user.division, start, end, {})
    chart = {
        "names": [r["name"] for r in rows if r["score"] is not None],
        "scores": [r["score"] for r in rows if r["score"] is not None],
    }
    return render(
        request,
        "oversight/evaluation.html",
        {
            "rows": rows,
            "metrics": list(METRICS.values()),
            "start": start,
            "end": end,
            "chart": chart,
            "form": forms.EvaluationForm(initial={"period_start": start, "period_end": end}),
            "issue_form": forms.IssueForm(),
            "history": access.evaluations_for(request.user).filter(division=request.user.division)[:12],
        },
    )


@require_POST
def evaluation_issue(request):
    access.require_manage(request.user, request.user.division_id or "")
    form = forms.EvaluationForm(request.POST)
    issue = forms.IssueForm(request.POST)
    if not (form.is_valid() and issue.is_valid()):
        messages.error(request, _("请填写评估期间"))
        return redirect("oversight:evaluation")
    record = services.evaluation_run(actor=request.user, division=request.user.division, **form.cleaned_data)
    document = services.evaluation_notice(actor=request.user, evaluation=record, **issue.cleaned_data)
    messages.success(request, _("评估通报已印发"))
    return redirect("oversight:document", document.pk)


def unit_page(request, code: str):
    division = access.access_unit(request.user, code)
    office = can(request.user, "oversight.manage") and request.user.division_id != division.code
    summons_form = forms.SummonsForm(request.POST if "summons" in request.POST else None)
    order_form = forms.RectificationForm(request.POST if "rectification" in request.POST else None)
    if request.method == "POST" and office:
        try:
            if "summons" in request.POST and summons_form.is_valid():
                services.summons_record(actor=request.user, division=division, **summons_form.cleaned_data)
                messages.success(request, _("约谈已记录"))
                return redirect("oversight:unit", code)
            if "rectification" in request.POST and order_form.is_valid():
                services.rectification_issue(actor=request.user, division=division, **order_form.cleaned_data)
                messages.success(request, _("整改通知已下达"))
                return redirect("oversight:unit", code)
        except ValidationError as exc:
            _errors(summons_form if "summons" in request.POST else order_form, exc)
    record = selectors.unit_record(request.user, division)
    for order in record["rectifications"]:
        order.actions = services.rectification_actions_for(request.user, order)
    return render(
        request,
        "oversight/unit.html",
        {
            "division": division,
            "record": record,
            "office": office,
            "summons_form": summons_form,
            "order_form": order_form,
            "readiness": selectors.readiness(division),
            "labels": selectors.STATE_LABELS,
            "action_form": forms.RectificationActionForm(),
        },
    )


@require_POST
def rectification_action(request, rectification_id: int):
    order = access.access_rectification(request.user, rectification_id)
    form = forms.RectificationActionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.rectification_transition(actor=request.user, order=order, **form.cleaned_data)
            messages.success(request, _("已办理"))
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
    return redirect("oversight:unit", order.division_id)


def document_pdf(request, document_id: int):
    document = access.access_document(request.user, document_id)
    return files.serve(
        document.pdf,
        filename=f"{document.title[:60]}.pdf",
        content_type="application/pdf",
        as_attachment=False,
    )
