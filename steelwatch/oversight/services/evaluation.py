"""Evaluation of the units under an office (评估通报): every registered metric over a period, weighted into a
score with the weights shown, a ranking and a band (达标 / 需关注 / 需整改)."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from steelwatch.core.services import audited_create
from steelwatch.geo.models import Division

from ..access import require_manage
from ..metrics import METRICS, band_for
from ..models import Evaluation
from ._common import check_dates, user_or_none


def evaluate_units(
    office: Division, start: datetime.date, end: datetime.date, weights: dict[str, float]
) -> list[dict]:
    """One row per child unit: each metric's done/due/ratio, the weighted score (over the metrics that had
    anything due), the rank (1 = best; units with no score last) and the band. Pure reading."""
    rows = []
    for unit in Division.objects.filter(parent=office).order_by("code"):
        metrics, weighted, weight_sum = {}, 0.0, 0.0
        for key, metric in METRICS.items():
            done, due = metric.compute(unit.prefix, start, end)
            ratio = done / due if due else None
            metrics[key] = {"done": done, "due": due, "ratio": None if ratio is None else round(ratio, 4)}
            weight = float(weights.get(key, metric.weight))
            if ratio is not None and weight > 0:
                weighted += weight * ratio
                weight_sum += weight
        score = round(100 * weighted / weight_sum, 1) if weight_sum else None
        rows.append(
            {
                "code": unit.code,
                "name": unit.name,
                "metrics": metrics,
                "score": score,
                "band": band_for(score),
            }
        )
    ranked = sorted((r for r in rows if r["score"] is not None), key=lambda r: (-r["score"], r["code"]))
    for rank, row in enumerate(ranked, start=1):
        row["rank"] = rank
    for row in rows:
        row.setdefault("rank", None)
    return sorted(rows, key=lambda r: (r["rank"] is None, r["rank"] or 0, r["code"]))


def evaluation_run(
    *,
    actor,
    division: Division,
    period_start: datetime.date,
    period_end: datetime.date,
    weights: dict[str, float] | None = None,
) -> Evaluation:
    require_manage(actor, division.code)
    check_dates(period_start, period_end, field="period_end")
    weights = {key: float((weights or {}).get(key, m.weight)) for key, m in METRICS.items()}
    if any(w < 0 for w in weights.values()):
        raise ValidationError({"weights": _("权重不能为负数")})
    return audited_create(
        actor=actor,
        instance=Evaluation(
            division=division,
            period_start=period_start,
            period_end=period_end,
            weights=weights,
            results=evaluate_units(division, period_start, period_end, weights),
            created_by=user_or_none(actor),
        ),
        action="evaluation_run",
    )


def evaluation_notice(*, actor, evaluation: Evaluation, document_number: str = "", recipients: str = ""):
    """Issue the evaluation as a circulated red-header notice (评估通报) with the ranking table."""
    from ..models import Document
    from .documents import document_issue

    labels = {key: str(m.label) for key, m in METRICS.items()}
    ranked = [r for r in evaluation.results if r["rank"]]
    lines = [
        f"根据平台数据，对{evaluation.period_start:%Y年%m月%d日}至{evaluation.period_end:%Y年%m月%d日}"
        f"各单位严防“地条钢”工作进行了评估。评估指标及权重："
        + "、".join(f"{labels[k]}（{w:g}）" for k, w in evaluation.weights.items() if k in labels)
        + "。",
    ]
    for band in ("达标", "需关注", "需整改"):
        names = [r["name"] for r in ranked if r["band"] == band]
        if names:
            lines.append(f"{band}：{'、'.join(names)}。")
    if any(r["band"] == "需整改" for r in ranked):
        lines.append("评估为“需整改”的单位，请于收到本通报之日起15日内报送整改方案。")
    header = ["排名", "单位", "得分", "等次", *labels.values()]
    rows = [
        [
            r["rank"] or "—",
            r["name"],
            "—" if r["score"] is None else r["score"],
            r["band"] or "—",
            *[
                "—" if r["metrics"][k]["ratio"] is None else f"{100 * r['metrics'][k]['ratio']:.0f}%"
                for k in labels
            ],
        ]
        for r in evaluation.results
    ]
    return document_issue(
        actor=actor,
        division=evaluation.division,
        kind=Document.Kind.EVALUATION,
        title=f"关于{evaluation.period_start:%Y年%m月}至{evaluation.period_end:%Y年%m月}严防“地条钢”工作评估情况的通报",
        body="\n".join(lines),
        recipients=recipients,
        document_number=document_number,
        attachments=["评估结果表"],
        table={"title": "评估结果表", "header": header, "rows": rows},
    )
