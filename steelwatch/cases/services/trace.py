"""The trace-back graph of a case: nodes, edges, and a seeded graph."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from steelwatch.core.audit import audit_record
from steelwatch.core.notify import stored_language
from steelwatch.core.services import audited_create
from steelwatch.registry.models import Enterprise

from ..models import (
    Case,
    TraceEdge,
    TraceNode,
)
from ._common import _event
from .actions import _require_action

# --- trace-back -------------------------------------------------------------------------------------------


@transaction.atomic
def trace_node_add(
    *, actor, case: Case, kind: str, label: str, enterprise: Enterprise | None = None, note: str = ""
) -> TraceNode:
    _require_action(actor, case, "trace")
    label = (label or "").strip()
    if kind not in TraceNode.Kind.values:
        raise ValidationError(
            {
                "kind": _("节点类型“{kind}”无效，可选：{value}").format(
                    kind=kind, value="、".join(TraceNode.Kind.values)
                )
            }
        )
    if not label:
        raise ValidationError({"label": _("请填写节点名称")})
    if case.trace_nodes.filter(label=label).exists():
        raise ValidationError({"label": _("节点“{label}”已存在").format(label=label)})
    node = audited_create(
        actor=actor,
        division_code=case.division_id,
        action="trace_node_add",
        instance=TraceNode(case=case, kind=kind, label=label, enterprise=enterprise, note=note),
    )
    with stored_language():
        _event(case, actor, "trace", f"溯源节点：{node.get_kind_display()} {label}")
    return node


@transaction.atomic
def trace_edge_add(
    *, actor, case: Case, source: TraceNode, target: TraceNode, label: str = "", quantity_t=None
) -> TraceEdge:
    _require_action(actor, case, "trace")
    if source.case_id != case.pk or target.case_id != case.pk:
        raise ValidationError({"source": _("溯源节点不属于本案")})
    if source.pk == target.pk:
        raise ValidationError({"target": _("流向的起点和终点不能相同")})
    if quantity_t is not None and quantity_t < 0:
        raise ValidationError({"quantity_t": _("数量不能为负")})
    edge = audited_create(
        actor=actor,
        division_code=case.division_id,
        action="trace_edge_add",
        instance=TraceEdge(case=case, source=source, target=target, label=label, quantity_t=quantity_t),
    )
    _event(
        case,
        actor,
        "trace",
        f"溯源流向：{source.label} → {target.label}"
        + (f"（{quantity_t} 吨）" if quantity_t is not None else ""),
    )
    return edge


@dataclass(frozen=True)
class SeedNode:
    key: str  # the caller's name for the node, used by SeedEdge
    kind: str
    label: str
    uscc: str = ""
    enterprise: Enterprise | None = None
    note: str = ""


@dataclass(frozen=True)
class SeedEdge:
    source: str
    target: str
    label: str = ""
    quantity_t: object = None


@transaction.atomic
def trace_seed(*, actor, case: Case, nodes: list[SeedNode], edges: list[SeedEdge]) -> dict[str, TraceNode]:
    """Seed the trace-back graph of a case just opened from records (e.g. a failed sample): the nodes and
    flows found in them, audited as one step by whoever (or whichever job) opened the case."""
    created: dict[str, TraceNode] = {}
    for seed in nodes:
        label = seed.label.strip()[:128]
        node = case.trace_nodes.filter(label=label).first() or TraceNode.objects.create(
            case=case,
            kind=seed.kind,
            label=label,
            uscc=seed.uscc,
            enterprise=seed.enterprise,
            note=seed.note[:300],
        )
        created[seed.key] = node
    edges = [e for e in edges if e.source in created and e.target in created]
    edges = [e for e in edges if created[e.source].pk != created[e.target].pk]  # one party in two roles
    for seed in edges:
        TraceEdge.objects.create(
            case=case,
            source=created[seed.source],
            target=created[seed.target],
            label=seed.label[:64],
            quantity_t=seed.quantity_t,
        )
    audit_record(
        actor=actor,
        action="trace_seed",
        target=case,
        after={"nodes": [n.label for n in created.values()], "edges": len(edges)},
        division_code=case.division_id,
    )
    _event(case, actor, "trace", f"溯源图已按记录生成：{len(created)} 个节点、{len(edges)} 条流向")
    return created
