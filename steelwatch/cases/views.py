"""Case pages: list, opening, the case page with its actions, "my tasks", and evidence files.

Views parse the request, call one service and redirect; refusals come back as messages on the page.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from steelwatch.accounts.roles import can
from steelwatch.core import files
from steelwatch.core.access import get_or_404, require
from steelwatch.core.audit import history_for
from steelwatch.core.pages import list_page, opened_url
from steelwatch.core.screening import screening_panel_url
from steelwatch.geo.selectors import division_choices, division_code_for
from steelwatch.registry.access import (
    access_enterprise,
    access_enterprise_by_uscc,
    access_power_account,
    licences_for,
)

from . import forms as f
from . import selectors, services
from .access import (
    access_attachment,
    access_case,
    access_cut_order,
    access_referral,
    access_revisit,
    access_task,
    access_task_owner,
    cases_for,
    may_manage,
    task_owner_candidates,
)
from .models import Case, JointTask


def _back(request, default: str) -> str:
    nxt = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return nxt
    return default


def _perform(request, form, action, success: str, back: str, opens: str = ""):
    """Run `action(cleaned_data)` if the form is valid; show the outcome as a message and go back (to the
    form `opens` names, open, when it failed)."""
    if not form.is_valid():
        messages.error(request, f.error_text(form))
        return redirect(opened_url(back, opens))
    try:
        action(form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, f.error_text(exc))
    except services.TransitionRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
        return redirect(back)
    return redirect(opened_url(back, opens))


CASE_PAGE_SIZE = 30


@require_GET
def case_list(request):
    """The cases in reach, 30 to a page: state (or every open one), source, area, keyword, overdue, sorting."""
    require(request.user, "cases.view")
    params = {
        k: request.GET.get(k, "").strip()[:64]
        for k in ("state", "source", "q", "overdue", "division", "sort")
    }
    cases = selectors.case_list(
        request.user,
        state=params["state"],
        source=params["source"],
        q=params["q"],
        overdue=params["overdue"] == "1",
        division=params["division"][:12],
        sort=params["sort"] or "new",
    )
    page, query = list_page(request, cases, CASE_PAGE_SIZE)
    return render(
        request,
        "cases/case_list.html",
        {
            "page": page,
            "cases": page.object_list,
            "query": query,
            "inbox": selectors.transfer_inbox(request.user),
            "params": params,
            "returned": selectors.returned_transfers(request.user),
            "states": [("open", _("办理中（全部）")), *Case.State.choices],
            "sources": Case.Source.choices,
            "divisions": division_choices(request.user),
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET", "POST"])
def case_create(request):
    require(request.user, "cases.open")
    form = f.CaseOpenForm(
        request.POST or None, initial={"division_code": getattr(request.user.division, "code", "")}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            enterprise = (
                access_enterprise_by_uscc(request.user, data["enterprise_uscc"])
                if data["enterprise_uscc"]
                else None
            )
            case = services.case_open(
                actor=request.user,
                title=data["title"],
                source=data["source"],
                source_ref=data["source_ref"],
                division_code=division_code_for(request.user, data["division_code"]),
                enterprise=enterprise,
                address=data["address"],
                longitude=data["longitude"],
                latitude=data["latitude"],
                description=data["description"],
            )
        except Http404:
            form.add_error("enterprise_uscc", _("台账中未找到该企业（或不在您的管辖范围内）"))
        except ValidationError as exc:
            form.add_error(None, f.error_text(exc))
        else:
            messages.success(request, _("已立案：#{pk}").format(pk=case.pk))
            return redirect("cases:case_detail", case.pk)
    return render(request, "cases/case_form.html", {"form": form})


@require_GET
def case_detail(request, case_id: int):
    case = access_case(request.user, case_id)
    manage = may_manage(request.user, case)
    furnaces = list(case.enterprise.furnaces.all()) if case.enterprise else []
    department_users = task_owner_candidates(request.user, case)
    nodes = list(case.trace_nodes.all())
    rules = services.rules_for(request.user, case)
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "manage": manage,
            "today": timezone.localdate(),
            "source_url": selectors.source_url(request.user, case),
            "open": request.GET.get("open", "")[:40],  # the action whose form failed: shown open
            "transitions": [(r.move, r.move_label) for r in rules],
            "moves": {r.move for r in rules},
            "allowed": services.actions_for(request.user, case),
            "events": case.events.select_related("actor"),
            "audit": history_for(case)[:50],
            "tasks": case.tasks.select_related("owner", "done_by").prefetch_related("attachments"),
            "cut_orders": case.cut_orders.select_related("power_account", "executed_by"),
            "actions": case.actions.select_related("licence"),
            "proposals": case.blacklist_proposals.select_related("credit_entry"),
            "can_list_credit": can(request.user, "credit.decide"),
            "credit_panel": screening_panel_url(request, case.enterprise, "case"),
            "totals": selectors.enforcement_totals(case),
            "closure": services.closure_status(case),
            "cut_day": services.cut_day(case),
            "referral": getattr(case, "referral", None),
            "may_record_judicial": hasattr(case, "referral")
            and services.may_record_judicial(request.user, case.referral),
            "revisits": case.revisits.select_related("assignee").prefetch_related("attachments"),
            "attachments": selectors.case_attachments(case),
            "power_accounts": case.power_accounts.all(),
            "related": case.related_cases.filter(pk__in=cases_for(request.user)),
            "furnaces": furnaces,
            "graph": selectors.trace_graph(case),
            "points": selectors.map_points(case),
            "nodes": nodes,
            "forms": {
                "transition": f.TransitionForm(),
                "link": f.LinkForm(),
                "attachment": f.AttachmentForm(),
                "task": f.TaskAssignForm(),
                "cut": f.CutOrderForm(),
                "enforcement": f.EnforcementForm(),
                "blacklist": f.BlacklistForm(),
                "closure": f.ClosureEvidenceForm(furnaces=furnaces),
                "refer": f.JudicialReferForm(),
                "judicial": f.JudicialRecordForm(initial={"on": timezone.localdate()}),
                "node": f.TraceNodeForm(),
                "edge": f.TraceEdgeForm(),
            },
            "department_users": department_users,
            "task_complete_form": f.TaskCompleteForm(),
        },
    )


def _case_action(request, case_id: int, form_class, action, success: str, **form_kwargs):
    case = access_case(request.user, case_id)
    form = form_class(request.POST, request.FILES, **form_kwargs)
    back = reverse("cases:case_detail", args=[case.pk])
    opens = request.resolver_match.url_name  # the form's own name on the page: act-<url name>
    return _perform(request, form, lambda data: action(case, data), success, back, opens)


@require_POST
def case_transition(request, case_id: int):
    def act(case, data):
        services.case_transition(
            actor=request.user,
            case=case,
            to=data["to"],
            reason=data["reason"],
            transfer_to=division_code_for(request.user, data["transfer_to"], scope="region"),
            closure_kind=data["closure_kind"] or "banned",
        )

    return _case_action(request, case_id, f.TransitionForm, act, _("案件状态已更新"))


@require_POST
def case_link(request, case_id: int):
    def act(case, data):
        if not (data["enterprise_uscc"] or data["account_id"] or data["case_id"]):
            raise ValidationError(_("请填写要关联的企业、电力户号或案件编号"))
        try:
            if data["enterprise_uscc"]:
                services.case_link_enterprise(
                    actor=request.user,
                    case=case,
                    enterprise=access_enterprise_by_uscc(request.user, data["enterprise_uscc"]),
                )
            if data["account_id"]:
                services.case_link_power_account(
                    actor=request.user,
                    case=case,
                    account=access_power_account(request.user, data["account_id"]),
                )
            if data["case_id"]:
                services.case_link_case(
                    actor=request.user, case=case, other=access_case(request.user, data["case_id"])
                )
        except Http404 as exc:
            raise ValidationError(_("未找到要关联的企业、电力户号或案件（或不在您的管辖范围内）")) from exc

    return _case_action(request, case_id, f.LinkForm, act, _("已关联"))


@require_POST
def case_attachment(request, case_id: int):
    def act(case, data):
        services.case_attachment_add(
            actor=request.user, case=case, upload=data["file"], note=data["note"], purpose=data["purpose"]
        )

    return _case_action(request, case_id, f.AttachmentForm, act, _("附件已上传"))


@require_POST
def task_assign(request, case_id: int):
    def act(case, data):
        owner = access_task_owner(request.user, case, pk=data["owner"]) if data["owner"] else None
        services.task_assign(
            actor=request.user,
            case=case,
            aspect=data["aspect"],
            department=data["department"],
            owner=owner,
            due_date=data["due_date"],
            mandatory=data["mandatory"],
        )

    return _case_action(request, case_id, f.TaskAssignForm, act, _("核查任务已分派"))


@require_POST
def task_complete(request, task_id: int):
    task = access_task(request.user, task_id)
    form = f.TaskCompleteForm(request.POST, request.FILES)
    return _perform(
        request,
        form,
        lambda data: services.task_complete(
            actor=request.user,
            task=task,
            findings=data["findings"],
            uploads_=[data["file"]] if data["file"] else [],
        ),
        _("任务已办结"),
        _back(request, reverse("cases:my_tasks")),
    )


@require_POST
def cut_order_issue(request, case_id: int):
    def act(case, data):
        account = (
            case.power_accounts.filter(account_id=data["account_id"]).first() if data["account_id"] else None
        )
        if data["account_id"] and account is None:
            raise ValidationError(_("电力户号 {account_id} 未关联本案").format(account_id=data["account_id"]))
        services.cut_order_issue(
            actor=request.user, case=case, kind=data["kind"], power_account=account, note=data["note"]
        )

    return _case_action(request, case_id, f.CutOrderForm, act, _("指令已下达"))


@require_POST
def cut_order_execute(request, order_id: int):
    order = access_cut_order(request.user, order_id)
    form = f.CutOrderExecuteForm(request.POST)
    return _perform(
        request,
        form,
        lambda data: services.cut_order_execute(actor=request.user, order=order, note=data["note"]),
        _("已确认执行"),
        _back(request, reverse("cases:my_tasks")),
    )


@require_POST
def enforcement_add(request, case_id: int):
    def act(case, data):
        licence = None
        if data["licence_number"]:
            licence = licences_for(request.user).filter(number=data["licence_number"]).first()
            if licence is None:
                raise ValidationError(
                    _("未找到生产许可证 {licence_number}").format(licence_number=data["licence_number"])
                )
        services.enforcement_record(
            actor=request.user,
            case=case,
            kind=data["kind"],
            date=data["date"],
            fine_yuan=data["fine_yuan"],
            raw_material_t=data["raw_material_t"],
            product_t=data["product_t"],
            licence=licence,
            note=data["note"],
        )

    return _case_action(request, case_id, f.EnforcementForm, act, _("查处措施已记录"))


@require_POST
def blacklist_add(request, case_id: int):
    def act(case, data):
        services.blacklist_propose(
            actor=request.user,
            case=case,
            reason=data["reason"],
            subject_name=data["subject_name"],
            legal_representative=data["legal_representative"],
        )

    return _case_action(request, case_id, f.BlacklistForm, act, _("已提请列入严重失信名单"))


@require_POST
def judicial_refer(request, case_id: int):
    def act(case, data):
        services.judicial_refer(actor=request.user, case=case, organ=data["organ"], charge=data["charge"])

    return _case_action(request, case_id, f.JudicialReferForm, act, _("已移送司法，公安机关将收到待受理任务"))


@require_POST
def judicial_record(request, case_id: int):
    def act(case, data):
        services.judicial_record(
            actor=request.user,
            referral=access_referral(request.user, case),
            status=data["status"],
            on=data["on"],
            file_number=data["file_number"],
            outcome=data["outcome"],
        )

    return _case_action(request, case_id, f.JudicialRecordForm, act, _("司法办理情况已登记"))


@require_POST
def closure_evidence(request, case_id: int, item: str):
    case = access_case(request.user, case_id)
    furnaces = case.enterprise.furnaces.all() if case.enterprise else []
    form = f.ClosureEvidenceForm(request.POST, request.FILES, furnaces=furnaces)
    return _perform(
        request,
        form,
        lambda data: services.closure_evidence_add(
            actor=request.user,
            case=case,
            item=item,
            upload=data["file"],
            note=data["note"],
            witnessed_on=data["witnessed_on"],
            furnace_ids=data["furnace_ids"],
            exception_reason=data["exception_reason"],
        ),
        _("证据已上传"),
        reverse("cases:case_detail", args=[case.pk]) + "#closure",
        opens=f"closure-{item}",
    )


@require_POST
def trace_node(request, case_id: int):
    def act(case, data):
        services.trace_node_add(
            actor=request.user, case=case, kind=data["kind"], label=data["label"], note=data["note"]
        )

    return _case_action(request, case_id, f.TraceNodeForm, act, _("溯源节点已添加"))


@require_POST
def trace_edge(request, case_id: int):
    def act(case, data):
        nodes = case.trace_nodes.all()
        services.trace_edge_add(
            actor=request.user,
            case=case,
            source=get_or_404(nodes, pk=data["source"]),
            target=get_or_404(nodes, pk=data["target"]),
            label=data["label"],
            quantity_t=data["quantity_t"],
        )

    return _case_action(request, case_id, f.TraceEdgeForm, act, _("溯源流向已添加"))


@require_POST
def revisit_complete(request, revisit_id: int):
    revisit = access_revisit(request.user, revisit_id)
    form = f.RevisitForm(request.POST, request.FILES)
    return _perform(
        request,
        form,
        lambda data: services.revisit_complete(
            actor=request.user,
            revisit=revisit,
            checklist=form.checklist(),
            note=data["note"],
            uploads_=[data["file"]],
        ),
        _("检查已记录"),
        _back(request, reverse("cases:my_tasks")),
    )


@require_GET
def my_tasks(request):
    require(request.user, "cases.task")
    mine = selectors.my_tasks(request.user)
    return render(
        request,
        "cases/my_tasks.html",
        {
            **mine,
            "count": selectors.task_count(mine),
            "today": timezone.localdate(),
            "task_form": f.TaskCompleteForm(),
            "revisit_form": f.RevisitForm(),
            "cut_form": f.CutOrderExecuteForm(),
            "open_status": JointTask.Status.OPEN,
        },
    )


@require_GET
def attachment_file(request, attachment_id: int):
    attachment = access_attachment(request.user, attachment_id)
    return files.serve(
        attachment.path,
        content_type=attachment.content_type,
        as_attachment=attachment.kind != "photo",
        filename=attachment.original_name,
    )


@require_GET
def enterprise_cases(request, enterprise_id: int):
    """A fragment for the enterprise page (htmx): the enterprise's cases this user may see."""
    enterprise = access_enterprise(request.user, enterprise_id)
    return render(
        request,
        "cases/_enterprise_cases.html",
        {
            "enterprise": enterprise,
            "cases": selectors.enterprise_cases(request.user, enterprise)[:100],
            "today": timezone.localdate(),
        },
    )
