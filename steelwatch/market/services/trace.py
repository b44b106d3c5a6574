"""A failed sample opens a case (source `sampling`, in the sampled unit's district) whose trace-back graph is
seeded from the records: the sampled seller or site → its supplier → the manufacturer named in the
incoming-goods record of that heat (or on the label) → that manufacturer's furnaces and power accounts when it
is on the ledger, with the tonnes the records give. A manufacturer outside the deployment's area is a node
with a transfer to its jurisdiction suggested. Also the facts behind a 地条钢 suspicion."""

from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _

from steelwatch.accounts.models import User
from steelwatch.accounts.roles import can
from steelwatch.cases.models import Case, TraceNode
from steelwatch.cases.services import SeedEdge, SeedNode, case_open, trace_seed
from steelwatch.core.access import user_covers_division
from steelwatch.core.notify import stored_language
from steelwatch.geo.models import Division
from steelwatch.geo.region import in_region, region_code
from steelwatch.registry.licences import licence_number_findings
from steelwatch.registry.models import Enterprise

from .. import standards
from ..models import PlaceKind, Sample, SupplyRecord
from ..screening import credit_findings, furnace_findings

K = TraceNode.Kind


def _heat_records(sample: Sample):
    if sample.enterprise_id is None or not sample.heat_number:
        return SupplyRecord.objects.none()
    return SupplyRecord.objects.filter(
        kind=SupplyRecord.Kind.GOODS, holder_id=sample.enterprise_id, heat_number__iexact=sample.heat_number
    )


def suspicion_facts(sample: Sample) -> list[str]:
    """What the records say about a sample's source (the verdict's own reasons are added by the verdict)."""
    facts = []
    product = standards.PRODUCT_LABELS.get(sample.product, "")
    on = sample.production_date or sample.sampled_on
    if not sample.licence_number:
        facts.append(_("标牌未标注（或未登记）生产许可证编号"))
    else:
        for finding in licence_number_findings(
            sample.licence_number, manufacturer_uscc=sample.manufacturer_uscc, product_label=product, on=on
        ):
            facts.append(_("标牌许可证无效：{finding}").format(finding=finding))
    facts += furnace_findings(sample.manufacturer_uscc)
    if sample.manufacturer_name or sample.manufacturer_uscc:
        facts += [
            _("标称生产企业{name}：{finding}").format(name=sample.manufacturer_name, finding=f)
            for f in credit_findings(sample.manufacturer_name, sample.manufacturer_uscc, confident=True)
        ]
    if sample.place_kind == PlaceKind.SELLER and not _heat_records(sample).exists():
        facts.append(
            _("经营者无该炉号（{heat}）的进货查验记录").format(heat=sample.heat_number or _("未标注"))
        )
    return facts


def deployment_prefixes() -> set[str]:
    """The area this deployment covers: the jurisdictions its active users hold."""
    return {
        u.division.prefix
        for u in User.objects.filter(is_active=True, division__isnull=False).select_related("division")
    }


def outside_area(uscc: str) -> Division | None | bool:
    """For a manufacturer not on the ledger: False when its USCC's registration area lies in the deployment
    (the configured region, STEELWATCH_REGION; without one, the jurisdictions its users hold), else the
    division its USCC names (None when that code is unknown)."""
    if len(uscc or "") != 18:
        return False
    code = uscc[2:8]
    if region_code():
        if in_region(code):
            return False
    elif any(code.startswith(prefix) or prefix.startswith(code) for prefix in deployment_prefixes()):
        return False
    return Division.objects.filter(code=code).first()


def _district_code(sample: Sample) -> str:
    district = sample.division_id[:6]
    return district if Division.objects.filter(code=district).exists() else sample.division_id


def _opener(actor, division_code: str):
    """The actor opens the case when allowed to; otherwise the platform opens it (actor None)."""
    if actor is not None and can(actor, "cases.open") and user_covers_division(actor, division_code):
        return actor
    return None


def open_case(*, actor, sample: Sample) -> Case:
    division_code = _district_code(sample)
    failed = "、".join(f["label"] for f in sample.failed)
    with stored_language():
        title = f"抽检不合格：{sample.unit_name} {sample.grade} Φ{sample.diameter_mm:g}mm"
        description = (
            f"样品 {sample.code}（{sample.get_place_kind_display()}，抽样日期 {sample.sampled_on:%Y-%m-%d}，"
            f"炉号 {sample.heat_number or '未标注'}，标称生产企业 {sample.manufacturer_name or '未标注'}）"
            f"按 {sample.standard} 判定不合格：{failed}。"
        )
        if sample.suspect:
            description += "疑似“地条钢”：" + "；".join(sample.reasons)
    opener = _opener(actor, division_code)
    case = case_open(
        actor=opener,
        title=title[:200],
        source=Case.Source.SAMPLING,
        source_ref=f"sample:{sample.pk}",
        division_code=division_code,
        enterprise=sample.enterprise,
        description=description,
    )
    Sample.objects.filter(pk=sample.pk).update(case=case)
    sample.case = case
    nodes, edges = trace_graph_seed(sample)
    trace_seed(actor=opener, case=case, nodes=nodes, edges=edges)
    return case


def note_retest(*, actor, sample: Sample) -> None:
    from steelwatch.cases.models import CaseEvent

    with stored_language():
        verdict = sample.get_verdict_display()
        CaseEvent.objects.create(
            case_id=sample.case_id,
            actor=actor if getattr(actor, "pk", None) else None,
            kind="sampling",
            text=f"样品 {sample.code} 复检结论（最终）：{verdict}",
        )


def trace_graph_seed(sample: Sample) -> tuple[list[SeedNode], list[SeedEdge]]:
    """The nodes and flows the records give for a failed sample."""
    unit_kind = {PlaceKind.SELLER: K.BUYER, PlaceKind.SITE: K.SITE}.get(sample.place_kind, K.ENTERPRISE)
    nodes = [
        SeedNode("unit", unit_kind, sample.unit_name, sample.unit_uscc, sample.enterprise, _("被抽样单位"))
    ]
    edges: list[SeedEdge] = []
    records = list(_heat_records(sample))
    maker_name, maker_uscc = sample.manufacturer_name, sample.manufacturer_uscc
    downstream = "unit"
    if records:
        suppliers: dict[tuple, Decimal] = {}
        for record in records:
            key = (record.supplier_name, record.supplier_uscc)
            suppliers[key] = suppliers.get(key, Decimal(0)) + record.tonnes
        for i, ((name, uscc), tonnes) in enumerate(suppliers.items()):
            nodes.append(
                SeedNode(f"supplier{i}", K.ENTERPRISE, name, uscc, _ledger(uscc), _("供货单位（进货记录）"))
            )
            edges.append(SeedEdge(f"supplier{i}", "unit", _("供货"), tonnes))
        first = records[0]
        if first.manufacturer_name or first.manufacturer_uscc:
            maker_name, maker_uscc = (
                first.manufacturer_name or maker_name,
                first.manufacturer_uscc or maker_uscc,
            )
        downstream = [f"supplier{i}" for i in range(len(suppliers))]
    if maker_name or maker_uscc:
        maker = _ledger(maker_uscc)
        note = _("标称生产企业")
        if maker is None and (division := outside_area(maker_uscc)) is not False:
            where = f"{division.full_name}（{division.code}）" if division else maker_uscc[2:8]
            note = _("标称生产企业，不在本地区：建议移交{where}核查").format(where=where)
        nodes.append(
            SeedNode("maker", K.SOURCE, maker.name if maker else maker_name, maker_uscc, maker, note)
        )
        for target in downstream if isinstance(downstream, list) else [downstream]:
            tonnes = None
            if target != "unit":
                tonnes = sum(
                    (r.tonnes for r in records if (r.supplier_name, r.supplier_uscc) == _key(nodes, target)),
                    Decimal(0),
                )
            edges.append(SeedEdge("maker", target, _("生产"), tonnes))
        if maker is not None:
            _ledger_nodes(maker, sample, nodes, edges)
    return nodes, edges


def _key(nodes: list[SeedNode], key: str) -> tuple:
    node = next(n for n in nodes if n.key == key)
    return node.label, node.uscc


def _ledger(uscc: str) -> Enterprise | None:
    return Enterprise.objects.filter(uscc=uscc).first() if uscc else None


def _ledger_nodes(maker: Enterprise, sample: Sample, nodes: list, edges: list) -> None:
    """The manufacturer's furnaces, power accounts and (a rolling mill) billet sources of that heat."""
    for furnace in maker.furnaces.all():
        key = f"furnace{furnace.pk}"
        label = f"{maker.name} {furnace.number}"
        nodes.append(
            SeedNode(
                key,
                K.FURNACE,
                label,
                "",
                maker,
                f"{furnace.get_kind_display()} {furnace.capacity_t}t {furnace.get_status_display()}",
            )
        )
        edges.append(SeedEdge(key, "maker", _("熔炼")))
    for account in maker.power_accounts.all():
        key = f"account{account.pk}"
        nodes.append(
            SeedNode(
                key,
                K.POWER_ACCOUNT,
                f"{_('电力户号')} {account.account_id}",
                "",
                maker,
                f"{account.contracted_kva} kVA",
            )
        )
        edges.append(SeedEdge(key, "maker", _("供电")))
    billets = SupplyRecord.objects.filter(
        kind=SupplyRecord.Kind.BILLETS, holder=maker, heat_number__iexact=sample.heat_number
    )
    for i, row in enumerate(billets.values("supplier_name", "supplier_uscc").annotate(tonnes=Sum("tonnes"))):
        key = f"billet{i}"
        nodes.append(
            SeedNode(
                key,
                K.SOURCE,
                row["supplier_name"],
                row["supplier_uscc"],
                _ledger(row["supplier_uscc"]),
                _("钢坯供应商"),
            )
        )
        edges.append(SeedEdge(key, "maker", _("钢坯"), row["tonnes"]))
