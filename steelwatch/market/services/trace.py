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
    label = _label_maker(sample)
    named = {
        (r.manufacturer_name, r.manufacturer_uscc)
        for r in _heat_records(sample)
        if r.manufacturer_name or r.manufacturer_uscc
    }
    if label and named and not any(_same(label, m) for m in named):
        facts.append(
            _("进货记录所载生产企业（{recorded}）与标牌标称生产企业（{label}）不符").format(
                recorded="、".join(sorted(m[0] or m[1] for m in named)), label=label[0] or label[1]
            )
        )
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


Party = tuple[str, str]  # (name, USCC) as a record or a label names it


def _same(a: Party, b: Party) -> bool:
    """The same party: by USCC when both give one, else by name."""
    if a[1] and b[1]:
        return a[1].strip().upper() == b[1].strip().upper()
    return a[0].strip() == b[0].strip()


def _label_maker(sample: Sample) -> Party | None:
    return (
        (sample.manufacturer_name, sample.manufacturer_uscc)
        if sample.manufacturer_name or sample.manufacturer_uscc
        else None
    )


def _maker_node(key: str, party: Party, note: str) -> SeedNode:
    name, uscc = party
    maker = _ledger(uscc)
    if maker is None and (division := outside_area(uscc)) is not False:
        where = f"{division.full_name}（{division.code}）" if division else uscc[2:8]
        note = _("{note}，不在本地区：建议移交{where}核查").format(note=note, where=where)
    return SeedNode(key, K.SOURCE, maker.name if maker else name, uscc, maker, note)


def trace_graph_seed(sample: Sample) -> tuple[list[SeedNode], list[SeedEdge]]:
    """The nodes and flows the records give for a failed sample: the unit, the suppliers of that heat (tonnes
    from the incoming-goods records), the manufacturer each record names (a record naming none takes the label's),
    and the label's manufacturer beside them when no record names it — then each ledger manufacturer's furnaces,
    power accounts and billets of that heat."""
    unit_kind = {PlaceKind.SELLER: K.BUYER, PlaceKind.SITE: K.SITE}.get(sample.place_kind, K.ENTERPRISE)
    nodes = [
        SeedNode("unit", unit_kind, sample.unit_name, sample.unit_uscc, sample.enterprise, _("被抽样单位"))
    ]
    edges: list[SeedEdge] = []
    label = _label_maker(sample)
    suppliers: dict[Party, Decimal] = {}
    makers: list[Party] = []
    flows: dict[tuple[int, Party], Decimal] = {}
    for record in _heat_records(sample):
        supplier = (record.supplier_name, record.supplier_uscc)
        suppliers[supplier] = suppliers.get(supplier, Decimal(0)) + record.tonnes
        named = (record.manufacturer_name, record.manufacturer_uscc)
        maker = named if any(named) else label
        if maker is None:
            continue
        index = next((i for i, m in enumerate(makers) if _same(m, maker)), None)
        if index is None:
            makers.append(maker)
            index = len(makers) - 1
        flows[index, supplier] = flows.get((index, supplier), Decimal(0)) + record.tonnes
    supplier_keys = {}
    for i, (supplier, tonnes) in enumerate(suppliers.items()):
        supplier_keys[supplier] = f"supplier{i}"
        nodes.append(
            SeedNode(
                f"supplier{i}",
                K.ENTERPRISE,
                supplier[0],
                supplier[1],
                _ledger(supplier[1]),
                _("供货单位（进货记录）"),
            )
        )
        edges.append(SeedEdge(f"supplier{i}", "unit", _("供货"), tonnes))
    for i, maker in enumerate(makers):
        note = _("标称生产企业") if label and _same(maker, label) else _("生产企业（进货记录）")
        nodes.append(_maker_node(f"maker{i}", maker, note))
    for (i, supplier), tonnes in flows.items():
        edges.append(SeedEdge(f"maker{i}", supplier_keys[supplier], _("生产"), tonnes))
    if label and not any(_same(m, label) for m in makers):
        key = f"maker{len(makers)}"
        note = _("标牌标称生产企业，与进货记录不符") if makers else _("标称生产企业")
        nodes.append(_maker_node(key, label, note))
        makers.append(label)
        edges.append(SeedEdge(key, "unit", _("标称") if len(makers) > 1 else _("生产")))
    for node in [n for n in nodes if n.key.startswith("maker")]:
        if node.enterprise is not None:
            _ledger_nodes(node.enterprise, sample, nodes, edges, maker_key=node.key)
    return nodes, edges


def _ledger(uscc: str) -> Enterprise | None:
    return Enterprise.objects.filter(uscc=uscc).first() if uscc else None


def _ledger_nodes(maker: Enterprise, sample: Sample, nodes: list, edges: list, *, maker_key: str) -> None:
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
        edges.append(SeedEdge(key, maker_key, _("熔炼")))
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
        edges.append(SeedEdge(key, maker_key, _("供电")))
    billets = SupplyRecord.objects.filter(
        kind=SupplyRecord.Kind.BILLETS, holder=maker, heat_number__iexact=sample.heat_number
    )
    for i, row in enumerate(billets.values("supplier_name", "supplier_uscc").annotate(tonnes=Sum("tonnes"))):
        key = f"{maker_key}-billet{i}"
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
        edges.append(SeedEdge(key, maker_key, _("钢坯"), row["tonnes"]))
