"""API v1 of the credit list: entries (create, read, lifecycle), screening, and the public rows. Same scoping
as the pages (outside the caller's area: 404), every write through credit.services (audited; bad input: 422
naming the field; a refused step: 409). An ID number is returned only to the deciding roles of the entry's
area, and each such response is audited; screening takes it in a POST body, never in a URL."""

from django.core.exceptions import ValidationError
from ninja import Query, Router, Status

from steelwatch.cases.access import access_case
from steelwatch.core.access import require
from steelwatch.core.api import Page, paginate

from . import selectors, services
from .access import access_entry, access_proposal, may_decide
from .models import Entry
from .schemas import (
    EntryFilters,
    EntryIn,
    EntryOut,
    EntryRef,
    Message,
    PublicEntryFilters,
    PublicEntryOut,
    ScreenIn,
    ScreenOut,
    TransitionIn,
)
from .screening import screen

router = Router(tags=["信用名单 credit"])
public_router = Router(tags=["信用名单 credit"])


def entry_out(user, entry: Entry, *, reveal: bool = True) -> dict:
    id_number = entry.id_masked
    if reveal and entry.id_ciphertext and may_decide(user, entry):
        id_number = services.entry_reveal_id(actor=user, entry=entry, purpose="api")
    return {
        "id": entry.pk,
        "state": entry.state,
        "state_label": entry.get_state_display(),
        "list_kind": entry.list_kind,
        "subject_kind": entry.subject_kind,
        "source": entry.source,
        "name": entry.name,
        "enterprise_uscc": entry.uscc,
        "registration_number": entry.registration_number,
        "legal_representative": entry.legal_representative,
        "person_name": entry.name if entry.is_person else "",
        "person_id_number": id_number,
        "division_code": entry.division_id,
        "reason": entry.reason,
        "basis": entry.basis,
        "authority": entry.authority,
        "document_number": entry.document_number,
        "penalty_document": entry.penalty_document,
        "notice_on": entry.notice_on,
        "defence_due": entry.defence_due,
        "decided_on": entry.decided_on,
        "starts_on": entry.starts_on,
        "ends_on": entry.ends_on,
        "publish_due": entry.publish_due,
        "published_on": entry.published_on,
        "removed_on": entry.removed_on,
        "removal_reason": entry.removal_reason,
        "measures": [em.measure.code for em in entry.entry_measures.select_related("measure")],
        "case_id": entry.case_id,
        "transitions": services.transitions_for(user, entry),
    }


@router.get(
    "/credit/entries", response=Page[EntryOut], summary="信用名单条目列表（调用者管辖范围内；身份证号码脱敏）"
)
def list_entries(request, filters: Query[EntryFilters]):
    rows = selectors.entry_list(
        request.user,
        q=filters.q,
        state=filters.state.value if filters.state else "",
        list_kind=filters.list_kind.value if filters.list_kind else "",
    )
    page = paginate(request, rows, filters)
    page["items"] = [entry_out(request.user, e, reveal=False) for e in page["items"]]
    return page


@router.post("/credit/entries", response={201: EntryRef}, summary="新增条目（提请；审计留痕）")
def create_entry(request, payload: EntryIn):
    data = payload.dict()
    case_id = data.pop("case_id")
    data["subject_kind"] = payload.subject_kind.value
    data["list_kind"] = payload.list_kind.value
    case = access_case(request.user, case_id) if case_id else None
    entry = services.entry_create(actor=request.user, case=case, **data)
    return Status(201, {"id": entry.pk, "state": entry.state})


@router.get(
    "/credit/entries/{entry_id}", response=EntryOut, summary="条目详情（决定机关查看身份证全号时留痕）"
)
def get_entry(request, entry_id: int):
    return entry_out(request.user, access_entry(request.user, entry_id))


@router.post(
    "/credit/entries/{entry_id}/transition",
    response={200: EntryRef, 409: Message},
    summary="状态流转（to：目标状态，或 refuse 上级退回）",
)
def transition(request, entry_id: int, payload: TransitionIn):
    entry = access_entry(request.user, entry_id)
    try:
        entry = services.entry_transition(
            actor=request.user, entry=entry, to=payload.to, reason=payload.reason
        )
    except services.TransitionRefused as refusal:
        return Status(409, {"detail": refusal.message})
    return Status(200, {"id": entry.pk, "state": entry.state})


@router.post(
    "/credit/proposals/{proposal_id}/entry",
    response={201: EntryRef},
    summary="案件的严重失信名单提请转为条目",
)
def entry_from_proposal(request, proposal_id: int):
    proposal = access_proposal(request.user, proposal_id)
    entry = services.entry_from_proposal(actor=request.user, proposal=proposal)
    return Status(201, {"id": entry.pk, "state": entry.state})


@router.post(
    "/credit/screen", response=ScreenOut, summary="按信用代码、身份证号码、名称筛查（只提示，不拒绝）"
)
def screen_subject(request, payload: ScreenIn):
    require(request.user, "credit.screen")
    if not any(payload.dict().values()):
        raise ValidationError({"name": "请至少提供名称、信用代码、姓名或身份证号码之一"})
    matches = screen(**payload.dict())
    return {"matches": [m.__dict__ for m in matches]}


@public_router.get(
    "/public/credit", response=Page[PublicEntryOut], auth=None, summary="公示中的信用名单（无需认证）"
)
def public_entries(request, filters: Query[PublicEntryFilters]):
    return paginate(request, selectors.public_rows(), filters)
