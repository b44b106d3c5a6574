"""Cases API (v1): the same services and access rules as the pages.

Outsiders get 404, a refused workflow step 409 with the message naming what is missing.
"""

import datetime

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from steelwatch.core.access import get_or_404
from steelwatch.core.api import Page, paginate
from steelwatch.core.schemas import TextParam
from steelwatch.registry.access import access_enterprise_by_uscc, licences_for
from steelwatch.registry.selectors import supervisor_candidates

from . import selectors, services
from .access import (
    access_case,
    access_cut_order,
    access_referral,
    access_restart_request,
    access_revisit,
    access_task,
    access_task_owner,
    access_zombie_site,
)
from .models import Case, ClosureCheck, JudicialReferral, RestartRequest
from .schemas import (
    CaseDetail,
    CaseFilters,
    CaseIn,
    CaseListItem,
    CaseRef,
    ClosureEvidenceOut,
    Created,
    CutOrderIn,
    DecisionIn,
    EnforcementIn,
    JudicialRecordIn,
    Message,
    MyWork,
    Note,
    ReferIn,
    ReferralOut,
    RestartDecided,
    RestartOut,
    RevisitDone,
    StatusOut,
    SuperviseIn,
    SupervisionOut,
    TaskIn,
    TransitionIn,
    ZombieDetail,
    ZombieFilters,
    ZombieListItem,
)
from .sources import linked_source

router = Router(tags=["cases"])


def _refusal(exc: services.TransitionRefused):
    return Status(409, {"detail": exc.message})


def _referral_out(referral: JudicialReferral | None) -> dict | None:
    if referral is None:
        return None
    return {
        "organ": referral.organ,
        "charge": referral.charge,
        "referred_on": referral.referred_on,
        "status": referral.status,
        "status_label": referral.get_status_display(),
        "accepted_on": referral.accepted_on,
        "file_number": referral.file_number,
        "outcome": referral.outcome,
        "outcome_on": referral.outcome_on,
    }


def _case_out(user, case: Case) -> dict:
    return {
        "id": case.pk,
        "title": case.title,
        "state": case.state,
        "state_label": case.get_state_display(),
        "source": case.source,
        "source_ref": case.source_ref,
        "division_code": case.division_id,
        "enterprise_uscc": case.enterprise.uscc if case.enterprise else None,
        "address": case.address,
        "verify_due": case.verify_due,
        "overdue": case.is_overdue(),
        "transfer_to": case.transfer_to_id,
        "transferred_from": case.transferred_from_id,
        "transitions": services.transitions_for(user, case),
        "referral": _referral_out(getattr(case, "referral", None)),
        "power_accounts": [a.account_id for a in case.power_accounts.all()],
        "tasks": [
            {
                "id": t.pk,
                "aspect": t.aspect,
                "department": t.department,
                "owner": t.owner.username if t.owner else None,
                "due_date": t.due_date,
                "mandatory": t.mandatory,
                "status": t.status,
                "findings": t.findings,
            }
            for t in case.tasks.select_related("owner")
        ],
        "cut_orders": [{"id": o.pk, "kind": o.kind, "status": o.status} for o in case.cut_orders.all()],
        "closure": [
            {
                "item": r["item"],
                "label": str(r["label"]),
                "evidence": len(r["evidence"]),
                "missing": str(r["missing"]),
            }
            for r in services.closure_status(case)
        ],
        "revisits": [
            {
                "id": r.pk,
                "due_date": r.due_date,
                "status": r.status,
                "assignee": r.assignee.username if r.assignee else None,
            }
            for r in case.revisits.select_related("assignee")
        ],
        "timeline": [
            {"at": e.at, "actor": str(e.actor) if e.actor else None, "text": e.text, "reason": e.reason}
            for e in case.events.select_related("actor")
        ],
    }


def _escalate_linked_source(user, payload: CaseIn) -> Case | None:
    """A case from a platform alert (alert:N) or tip (tip:N) is that record's escalation: linked, never twice;
    the caller's title and description are kept (the place and division come from the record)."""
    source, number = linked_source(payload.source_ref)
    if source is None or source.source != payload.source:
        return None
    return source.escalate(user, number, title=payload.title, note=payload.description)


@router.post(
    "/cases",
    response={201: CaseRef, 409: Message},
    summary="立案（来源为 alert:N 或 tip:N 时即为该告警/举报转案，并与之关联；已转案的告警/举报返回 409）",
)
def create_case(request, payload: CaseIn):
    enterprise = (
        access_enterprise_by_uscc(request.user, payload.enterprise_uscc) if payload.enterprise_uscc else None
    )
    if payload.source not in Case.Source.values:
        raise ValidationError(
            {"source": f"线索来源“{payload.source}”无效，可选：{'、'.join(Case.Source.values)}"}
        )
    try:
        case = _escalate_linked_source(request.user, payload)
    except ValidationError as exc:
        return Status(409, {"detail": "；".join(exc.messages)})
    if case:
        return Status(201, {"id": case.pk, "state": case.state})
    case = services.case_open(
        actor=request.user,
        title=payload.title,
        source=payload.source,
        division_code=payload.division_code,
        enterprise=enterprise,
        source_ref=payload.source_ref,
        description=payload.description,
        address=payload.address,
        longitude=payload.longitude,
        latitude=payload.latitude,
    )
    return Status(201, {"id": case.pk, "state": case.state})


def _case_item(case: Case) -> dict:
    return {
        "id": case.pk,
        "title": case.title,
        "state": case.state,
        "division_code": case.division_id,
        "verify_due": case.verify_due,
        "overdue": case.is_overdue(),
    }


@router.get("/cases", response=Page[CaseListItem], summary="案件列表（最新在前）")
def list_cases(request, filters: Query[CaseFilters]):
    cases = selectors.case_list(
        request.user,
        state=filters.state,
        source=filters.source,
        q=filters.q,
        overdue=filters.overdue,
        division=filters.division,
    )
    page = paginate(request, cases.order_by("-created_at", "-pk"), filters)
    return {**page, "items": [_case_item(c) for c in page["items"]]}


@router.get("/cases/{case_id}", response=CaseDetail, summary="案件详情")
def get_case(request, case_id: int):
    return _case_out(request.user, access_case(request.user, case_id))


@router.post(
    "/cases/{case_id}/transition",
    response={200: CaseRef, 409: Message},
    summary="状态流转（to：目标状态；移交中的案件还可 decline 退回移交、recall 撤回移交）",
)
def transition(request, case_id: int, payload: TransitionIn):
    case = access_case(request.user, case_id)
    try:
        case = services.case_transition(
            actor=request.user,
            case=case,
            to=payload.to,
            reason=payload.reason,
            transfer_to=payload.transfer_to,
            closure_kind=payload.closure_kind,
        )
    except services.TransitionRefused as exc:
        return _refusal(exc)
    return Status(200, {"id": case.pk, "state": case.state})


@router.post("/cases/{case_id}/tasks", response={201: Created}, summary="分派联合核查任务")
def assign_task(request, case_id: int, payload: TaskIn):
    case = access_case(request.user, case_id)
    owner = (
        access_task_owner(request.user, case, username=payload.owner_username)
        if payload.owner_username
        else None
    )
    task = services.task_assign(
        actor=request.user,
        case=case,
        aspect=payload.aspect,
        department=payload.department,
        due_date=payload.due_date,
        owner=owner,
        mandatory=payload.mandatory,
    )
    return Status(201, {"id": task.pk})


@router.post("/tasks/{task_id}/complete", response=StatusOut, summary="办结核查任务")
def complete_task(
    request,
    task_id: int,
    findings: TextParam("核查结论", multiline=True, form=...),
    file: File[UploadedFile] = None,
):
    task = services.task_complete(
        actor=request.user,
        task=access_task(request.user, task_id),
        findings=findings,
        uploads_=[file] if file else [],
    )
    return {"id": task.pk, "status": task.status}


@router.get("/tasks/mine", response=MyWork, summary="我的任务")
def mine(request):
    data = selectors.my_tasks(request.user)
    return {
        "tasks": [
            {"id": t.pk, "case_id": t.case_id, "aspect": t.aspect, "due_date": t.due_date}
            for t in data["tasks"]
        ],
        "cut_orders": [{"id": o.pk, "case_id": o.case_id, "kind": o.kind} for o in data["cut_orders"]],
        "revisits": [
            {"id": r.pk, "case_id": r.case_id, "kind": r.kind, "due_date": r.due_date}
            for r in data["revisits"]
        ],
        "referrals": [
            {"case_id": j.case_id, "status": j.status, "organ": j.organ, "referred_on": j.referred_on}
            for j in data["referrals"]
        ],
    }


@router.post("/cases/{case_id}/referral", response={201: ReferralOut}, summary="移送司法（须先上传移送材料）")
def refer(request, case_id: int, payload: ReferIn):
    case = access_case(request.user, case_id)
    referral = services.judicial_refer(
        actor=request.user, case=case, organ=payload.organ, charge=payload.charge
    )
    return Status(201, _referral_out(referral))


@router.post(
    "/cases/{case_id}/referral/record",
    response=ReferralOut,
    summary="登记司法办理情况（公安：立案、不予立案、办结）",
)
def record_referral(request, case_id: int, payload: JudicialRecordIn):
    case = access_case(request.user, case_id)
    referral = services.judicial_record(
        actor=request.user,
        referral=access_referral(request.user, case),
        status=payload.status,
        on=payload.on,
        file_number=payload.file_number,
        outcome=payload.outcome,
    )
    return _referral_out(referral)


@router.post("/cases/{case_id}/cut-orders", response={201: Created}, summary="下达断电断水指令")
def issue_cut_order(request, case_id: int, payload: CutOrderIn):
    case = access_case(request.user, case_id)
    account = (
        get_or_404(case.power_accounts.all(), account_id=payload.account_id) if payload.account_id else None
    )
    order = services.cut_order_issue(
        actor=request.user, case=case, kind=payload.kind, power_account=account, note=payload.note
    )
    return Status(201, {"id": order.pk})


@router.post("/cut-orders/{order_id}/execute", response=StatusOut, summary="确认断电断水已执行")
def execute_cut_order(request, order_id: int, payload: Note):
    order = services.cut_order_execute(
        actor=request.user, order=access_cut_order(request.user, order_id), note=payload.note
    )
    return {"id": order.pk, "status": order.status}


@router.post("/cases/{case_id}/enforcement", response={201: Created}, summary="记录查处措施")
def record_enforcement(request, case_id: int, payload: EnforcementIn):
    case = access_case(request.user, case_id)
    licence = (
        get_or_404(licences_for(request.user), number=payload.licence_number)
        if payload.licence_number
        else None
    )
    action = services.enforcement_record(
        actor=request.user,
        case=case,
        kind=payload.kind,
        date=payload.date,
        fine_yuan=payload.fine_yuan,
        raw_material_t=payload.raw_material_t,
        product_t=payload.product_t,
        licence=licence,
        note=payload.note,
    )
    return Status(201, {"id": action.pk})


@router.post(
    "/cases/{case_id}/closure/{item}",
    response={201: ClosureEvidenceOut},
    summary="上传取缔验收证据（五个彻底）",
)
def closure_evidence(
    request,
    case_id: int,
    item: TextParam("验收项", max_length=32),
    file: File[UploadedFile],
    note: TextParam("说明", multiline=True, form=""),
    witnessed_on: Form[datetime.date | None] = None,
    furnace_ids: Form[list[int]] = None,
    exception_reason: TextParam("例外说明", max_length=300, form="") = "",
):
    """Each check needs its own evidence, from on or after the day of the first executed cut; otherwise
    `exception_reason` must say why."""
    case = access_case(request.user, case_id)
    if item not in ClosureCheck.values:
        raise Http404("验收项不存在")
    record = services.closure_evidence_add(
        actor=request.user,
        case=case,
        item=item,
        upload=file,
        note=note,
        witnessed_on=witnessed_on,
        furnace_ids=furnace_ids or [],
        exception_reason=exception_reason,
    )
    return Status(
        201,
        {
            "item": record.item,
            "round": record.round,
            "evidence": record.attachments.count(),
            "furnaces": [f.number for f in record.furnaces.all()],
        },
    )


@router.post(
    "/revisits/{revisit_id}/complete", response=RevisitDone, summary="填写回头看或僵尸企业巡查（照片必传）"
)
def complete_revisit(
    request,
    revisit_id: int,
    file: File[UploadedFile],
    note: TextParam("检查情况", multiline=True, form=""),
    checks: Form[list[TextParam("检查项目", max_length=32)]] = None,
):
    revisit = access_revisit(request.user, revisit_id)
    revisit = services.revisit_complete(
        actor=request.user,
        revisit=revisit,
        note=note,
        uploads_=[file],
        checklist={key: True for key in (checks or [])},
    )
    return {
        "id": revisit.pk,
        "activity_found": revisit.activity_found,
        "case_state": revisit.case.state if revisit.case else None,
    }


# --- zombie sites: supervisor, patrols, restart requests ---------------------------------------------------


def _restart_out(request: RestartRequest) -> dict:
    return {
        "id": request.pk,
        "enterprise_id": request.enterprise_id,
        "status": request.status,
        "safety_assessor": request.safety_assessor,
        "note": request.note,
        "requested_at": request.requested_at,
        "decided_at": request.decided_at,
        "decision_reason": request.decision_reason,
        "findings_overridden": request.findings_overridden,
        "files": [a.pk for a in request.attachments.all()],
        "findings": [
            {
                "id": f.pk,
                "kind": f.kind,
                "done_at": f.done_at,
                "activity_found": f.activity_found,
                "note": f.note,
            }
            for f in selectors.restart_findings(request.enterprise)
        ],
    }


def _zombie_item(enterprise) -> dict:
    return {
        "id": enterprise.pk,
        "name": enterprise.name,
        "uscc": enterprise.uscc,
        "division_code": enterprise.division_id,
        "supervisor": enterprise.supervisor.username if enterprise.supervisor else None,
        "last_patrol": enterprise.last_patrol,
        "next_patrol": enterprise.next_patrol,
        "overdue_patrols": enterprise.overdue_patrols,
        "pending_restart_requests": enterprise.pending_restarts,
    }


@router.get("/zombies", response=Page[ZombieListItem], summary="僵尸企业列表（监管责任人、巡查情况）")
def list_zombies(request, filters: Query[ZombieFilters]):
    zombies = selectors.zombie_list(request.user, overdue=filters.overdue, ledger_order=True)
    page = paginate(request, zombies, filters)
    return {**page, "items": [_zombie_item(e) for e in page["items"]]}


@router.get("/zombies/{enterprise_id}", response=ZombieDetail, summary="僵尸企业监管详情：巡查与复产申请")
def get_zombie(request, enterprise_id: int):
    enterprise = access_zombie_site(request.user, enterprise_id)
    return {
        "id": enterprise.pk,
        "name": enterprise.name,
        "status": enterprise.status,
        "supervisor": enterprise.supervisor.username if enterprise.supervisor else None,
        "actions": sorted(services.zombie_actions_for(request.user, enterprise)),
        "patrols": [
            {
                "id": p.pk,
                "due_date": p.due_date,
                "status": p.status,
                "activity_found": p.activity_found,
                "assignee": p.assignee.username if p.assignee else None,
                "done_at": p.done_at,
                "note": p.note,
                "photos": [a.pk for a in p.attachments.all()],
            }
            for p in selectors.zombie_patrols(request.user, enterprise)
        ],
        "restart_requests": [
            _restart_out(r) for r in selectors.zombie_restart_requests(request.user, enterprise)
        ],
    }


@router.post(
    "/zombies/{enterprise_id}/supervise",
    response=SupervisionOut,
    summary="指定监管责任人并安排巡查（巡查用 /revisits/{id}/complete 填写）",
)
def supervise_zombie(request, enterprise_id: int, payload: SuperviseIn):
    enterprise = access_zombie_site(request.user, enterprise_id)
    supervisor = next(
        (u for u in supervisor_candidates(enterprise) if u.username == payload.supervisor_username), None
    )
    if supervisor is None:
        raise ValidationError(
            {"supervisor_username": f"用户“{payload.supervisor_username}”不是该企业属地的人员"}
        )
    patrols = services.zombie_supervise(
        actor=request.user,
        enterprise=enterprise,
        supervisor=supervisor,
        patrol_every_days=payload.patrol_every_days,
        patrols=payload.patrols,
    )
    return {
        "supervisor": supervisor.username,
        "patrols": [{"id": p.pk, "due_date": p.due_date} for p in patrols],
    }


@router.post(
    "/zombies/{enterprise_id}/restart-requests",
    response={201: RestartOut},
    summary="登记复产申请（附第三方安全评估报告）",
)
def submit_restart_request(
    request,
    enterprise_id: int,
    safety_assessor: TextParam("第三方安全评估机构", max_length=128, form=...),
    report: File[UploadedFile],
    note: TextParam("说明", multiline=True, form=""),
):
    enterprise = access_zombie_site(request.user, enterprise_id)
    restart = services.restart_request_submit(
        actor=request.user, enterprise=enterprise, safety_assessor=safety_assessor, report=report, note=note
    )
    return Status(201, _restart_out(restart))


@router.get("/restart-requests/{request_id}", response=RestartOut, summary="复产申请")
def get_restart_request(request, request_id: int):
    return _restart_out(access_restart_request(request.user, request_id))


@router.post(
    "/restart-requests/{request_id}/decision",
    response=RestartDecided,
    summary="审批复产申请（区县领导小组办公室）",
)
def decide_restart_request(request, request_id: int, payload: DecisionIn):
    restart = services.restart_request_decide(
        actor=request.user,
        request=access_restart_request(request.user, request_id),
        approve=payload.approve,
        reason=payload.reason,
        override=payload.override,
    )
    return {**_restart_out(restart), "enterprise_status": restart.enterprise.status}


def _mount_revisits() -> None:
    from .revisit_api import router as revisit_router

    router.add_router("/", revisit_router)


_mount_revisits()
