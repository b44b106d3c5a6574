"""API v1 of market supervision: samples and their results, the trace-back of the case a failed sample opens,
incoming-goods records, licences by supervision status. Same door as the pages: outside the caller's
jurisdiction 404, a refused workflow step 409, bad input 422 naming the field."""

from django.core.exceptions import ValidationError
from ninja import Query, Router, Status

from steelwatch.cases.access import access_case
from steelwatch.core.api import Page, paginate
from steelwatch.registry.access import access_enterprise_by_uscc
from steelwatch.registry.licences import licence_list

from . import selectors, services
from .access import access_round, access_sample
from .schemas import (
    DisposeIn,
    IncomingGoodsIn,
    IncomingGoodsRef,
    LicenceFilters,
    LicenceOut,
    Message,
    ResultsIn,
    RetestIn,
    SampleFilters,
    SampleIn,
    SampleOut,
    SampleRef,
    ServeIn,
    SupplyFilters,
    SupplyOut,
    TraceOut,
    VerdictOut,
)

router = Router(tags=["市场监管 market"])


def _officers(usernames: list[str]) -> list:
    users = selectors.active_users_named(usernames)
    missing = [name for name in usernames if name not in users]
    if missing:
        raise ValidationError({"officers": f"用户 {'、'.join(missing)} 不存在或已停用"})
    return list(users.values())


def _verdict(sample) -> dict:
    return {
        "verdict": sample.verdict,
        "failed": [f["item"] for f in sample.failed],
        "suspect": sample.suspect,
        "reasons": sample.reasons,
        "case_id": sample.case_id,
    }


def _step(call):
    try:
        return call()
    except services.SampleRefused as exc:
        return Status(409, {"detail": str(exc)})


@router.post("/samples", response={201: SampleRef}, summary="登记抽样（不少于2名抽样人员）")
def create_sample(request, payload: SampleIn):
    data = payload.dict()
    uscc = data.pop("enterprise_uscc").strip().upper()
    enterprise = (
        access_enterprise_by_uscc(request.auth, uscc) if uscc and payload.place_kind != "site" else None
    )
    round_id = data.pop("round_id")
    sample = services.sample_create(
        actor=request.auth,
        enterprise=enterprise,
        officers=_officers(data.pop("officers")),
        sampling_round=access_round(request.auth, round_id) if round_id else None,
        **data,
    )
    return Status(201, {"id": sample.pk, "state": sample.state})


@router.get("/samples", response=Page[SampleOut], summary="样品列表（调用者管辖范围内）")
def list_samples(request, filters: Query[SampleFilters]):
    rows = selectors.sample_list(
        request.auth, state=filters.state, verdict=filters.verdict, round_id=filters.round_id
    )
    return paginate(request, rows.prefetch_related("officers"), filters)


@router.get(
    "/samples/{sample_id}", response=SampleOut, summary="样品详情：检验结论、不合格项目、疑似理由、异议期"
)
def get_sample(request, sample_id: int):
    return access_sample(request.auth, sample_id)


@router.post(
    "/samples/{sample_id}/results",
    response={200: VerdictOut, 409: Message},
    summary="录入检验结果并判定；不合格即立案（来源 sampling），返回案件编号",
)
def record_results(request, sample_id: int, payload: ResultsIn):
    sample = access_sample(request.auth, sample_id)
    return _step(
        lambda: _verdict(
            services.sample_results_record(
                actor=request.auth,
                sample=sample,
                measured=payload.measured(),
                testing_body=payload.testing_body,
                tested_on=payload.tested_on,
            )
        )
    )


@router.post(
    "/samples/{sample_id}/serve",
    response={200: SampleOut, 409: Message},
    summary="送达检验结论（异议期15日）",
)
def serve_sample(request, sample_id: int, payload: ServeIn):
    sample = access_sample(request.auth, sample_id)
    return _step(lambda: services.sample_serve(actor=request.auth, sample=sample, **payload.dict()))


@router.post(
    "/samples/{sample_id}/retest",
    response={200: SampleOut, 409: Message},
    summary="受理复检申请（重量偏差不合格不得复检）",
)
def request_retest(request, sample_id: int, payload: RetestIn):
    sample = access_sample(request.auth, sample_id)
    return _step(lambda: services.sample_retest_request(actor=request.auth, sample=sample, **payload.dict()))


@router.post(
    "/samples/{sample_id}/retest-results",
    response={200: VerdictOut, 409: Message},
    summary="录入复检结果（最终结论）",
)
def record_retest(request, sample_id: int, payload: ResultsIn):
    sample = access_sample(request.auth, sample_id)
    return _step(
        lambda: _verdict(
            services.sample_retest_results(
                actor=request.auth, sample=sample, measured=payload.measured(), tested_on=payload.tested_on
            )
        )
    )


@router.post(
    "/samples/{sample_id}/finalize", response={200: SampleOut, 409: Message}, summary="异议期满，确定结论"
)
def finalize_sample(request, sample_id: int):
    sample = access_sample(request.auth, sample_id)
    return _step(lambda: services.sample_finalize(actor=request.auth, sample=sample))


@router.post("/samples/{sample_id}/dispose", response={200: SampleOut, 409: Message}, summary="记录处置情况")
def dispose_sample(request, sample_id: int, payload: DisposeIn):
    sample = access_sample(request.auth, sample_id)
    return _step(lambda: services.sample_dispose(actor=request.auth, sample=sample, **payload.dict()))


@router.get(
    "/cases/{case_id}/trace",
    response=TraceOut,
    summary="案件溯源图：节点（企业、工地、感应炉、户号）与流向（吨）",
)
def case_trace(request, case_id: int):
    case = access_case(request.auth, case_id)
    return {
        "nodes": [
            {
                "id": n.pk,
                "kind": n.kind,
                "label": n.label,
                "uscc": n.uscc or (n.enterprise.uscc if n.enterprise_id else ""),
            }
            for n in case.trace_nodes.select_related("enterprise")
        ],
        "edges": [
            {"source": e.source_id, "target": e.target_id, "tonnes": e.quantity_t}
            for e in case.trace_edges.all()
        ],
    }


@router.post(
    "/incoming-goods",
    response={201: IncomingGoodsRef},
    summary="登记进货查验记录（或轧钢企业钢坯来源），即时核查",
)
def create_incoming_goods(request, payload: IncomingGoodsIn):
    data = payload.dict()
    holder = access_enterprise_by_uscc(request.auth, data.pop("seller_uscc").strip().upper())
    record = services.supply_record_create(actor=request.auth, holder=holder, **data)
    return Status(201, {"id": record.pk, "findings": record.findings})


@router.get("/incoming-goods", response=Page[SupplyOut], summary="进货查验记录与钢坯来源列表")
def list_incoming_goods(request, filters: Query[SupplyFilters]):
    holder_id = (
        access_enterprise_by_uscc(request.auth, filters.seller_uscc.upper()).pk
        if filters.seller_uscc
        else None
    )
    rows = selectors.supply_list(
        request.auth, holder_id=holder_id, kind=filters.kind, flagged=filters.flagged
    )
    return paginate(request, rows, filters)


@router.get("/licences", response=Page[LicenceOut], summary="生产许可证列表（按监管状态、地区）")
def list_licences(request, filters: Query[LicenceFilters]):
    return paginate(
        request, licence_list(request.auth, status=filters.status or "", division=filters.division), filters
    )
