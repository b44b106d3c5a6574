"""The verdict on a steel sample: one pure function over the standards data (no Django, no database).

`judge(grade=, diameter_mm=, production_date=, measured=)` chooses the standard text by production date,
checks every measured item against its limit and returns a `Verdict` naming every failed item with its value,
its limit and its clause. An item not measured (None) is not judged and is listed in `not_tested`.
`suspicion_reasons` derives the 地条钢 suspicion from a verdict; it is kept apart from the legal verdict.
"""

import datetime
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation

from . import standards
from .standards import band_value

# Every item a verdict may name, in the order of the published tables.
ITEMS: dict[str, str] = {
    "rel": "下屈服强度 ReL",
    "rm": "抗拉强度 Rm",
    "a": "断后伸长率 A",
    "agt": "最大力总延伸率 Agt",
    "rm_rel_ratio": "强屈比 Rm°/ReL°",
    "rel_ratio": "超屈比 ReL°/ReL",
    "weight_deviation": "重量偏差",
    "bend": "弯曲性能",
    "reverse_bend": "反向弯曲性能",
    "c": "碳 C",
    "si": "硅 Si",
    "mn": "锰 Mn",
    "p": "磷 P",
    "s": "硫 S",
    "n": "氮 N",
    "ceq": "碳当量 Ceq",
}
CHEMISTRY = ("c", "si", "mn", "p", "s", "n")
ALLOYS = ("cr", "v", "mo", "cu", "ni")  # for a computed Ceq
PASS, FAIL = "pass", "fail"


class StandardError(ValueError):
    """The sample cannot be judged: a grade or a diameter the standard does not know. `field` names the input."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Failure:
    item: str
    label: str
    value: str
    limit: str
    clause: str

    def __str__(self) -> str:
        return f"{self.label} {self.value}（要求 {self.limit}）"


@dataclass
class Verdict:
    grade: str
    diameter_mm: Decimal
    standard: str  # the text the verdict was judged against
    conforming: bool
    failed: list[Failure]
    not_tested: list[str]
    computed: dict[str, str]  # values derived from the measurements (rm_rel_ratio, rel_ratio, ceq)
    notes: list[str] = field(default_factory=list)
    retestable: bool = True  # False when a failed item may not be re-tested (weight deviation)

    @property
    def failed_items(self) -> list[str]:
        return [f.item for f in self.failed]

    @property
    def verdict(self) -> str:
        return "conforming" if self.conforming else "nonconforming"

    def as_dict(self) -> dict:
        data = asdict(self)
        data["diameter_mm"] = str(self.diameter_mm)
        data["verdict"] = self.verdict
        data["failed_items"] = self.failed_items
        return data


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"“{value}”不是数字") from None


def _fmt(value: Decimal) -> str:
    return format(value, "f")


def _check(failed: list, item: str, value: Decimal | None, limit, *, minimum=None, maximum=None, note=""):
    """Append a failure when `value` is outside [minimum, maximum] (taken from `limit` unless given)."""
    if value is None or limit is None:
        return
    minimum = limit.minimum if minimum is None else minimum
    maximum = limit.maximum if maximum is None else maximum
    if minimum is not None and value < minimum:
        failed.append(Failure(item, ITEMS[item], _fmt(value), f"≥ {_fmt(minimum)}{note}", limit.clause))
    elif maximum is not None and value > maximum:
        failed.append(Failure(item, ITEMS[item], _fmt(value), f"≤ {_fmt(maximum)}{note}", limit.clause))


def compute_ceq(values: Mapping[str, Decimal | None]) -> Decimal | None:
    """Ceq = C + Mn/6 + (Cr+V+Mo)/5 + (Cu+Ni)/15 (alloys not measured count as 0); None without C and Mn."""
    c, mn = values.get("c"), values.get("mn")
    if c is None or mn is None:
        return None
    alloy = {k: values.get(k) or Decimal(0) for k in ALLOYS}
    ceq = c + mn / 6 + (alloy["cr"] + alloy["v"] + alloy["mo"]) / 5 + (alloy["cu"] + alloy["ni"]) / 15
    return ceq.quantize(Decimal("0.01"))


def judge(
    *,
    grade: str,
    diameter_mm,
    production_date: datetime.date | None,
    measured: Mapping[str, object],
) -> Verdict:
    """Judge one sample. `measured`: item → number (MPa, %, mass %) or, for bend / reverse_bend, "pass"/"fail";
    missing or None = not tested. Raises `StandardError` for a grade or diameter the standard does not know."""
    grade = (grade or "").strip().upper()
    product = standards.product_of(grade)
    if product is None:
        raise StandardError("grade", f"牌号“{grade}”不在 GB/T 1499.2、GB/T 1499.1 所列牌号中")
    standard, note = standards.choose(product, production_date)
    spec = standard.grades[grade]
    diameter = _decimal(diameter_mm)
    if diameter is None or diameter != diameter.to_integral() or int(diameter) not in standard.diameters:
        known = "、".join(str(d) for d in standard.diameters)
        raise StandardError(
            "diameter_mm", f"公称直径“{diameter_mm}”mm 不在 {standard.code} 的规格中（{known}）"
        )
    values = {
        key: _decimal(measured.get(key)) for key in (*ITEMS, *ALLOYS) if key not in ("bend", "reverse_bend")
    }
    failed: list[Failure] = []
    computed: dict[str, str] = {}
    notes = [note] if note else []

    _check(failed, "rel", values["rel"], spec.rel)
    _check(failed, "rm", values["rm"], spec.rm)
    if spec.a is not None:
        reduction = band_value(standard.a_reductions, diameter) or Decimal(0)
        reduced = f"（{_fmt(diameter)} mm 可降低 {_fmt(reduction)}）" if reduction else ""
        _check(failed, "a", values["a"], spec.a, minimum=spec.a.minimum - reduction, note=reduced)
    _check(failed, "agt", values["agt"], spec.agt)
    if spec.rm_rel_ratio is not None and values["rm"] is not None and values["rel"]:
        ratio = (values["rm"] / values["rel"]).quantize(Decimal("0.01"))
        computed["rm_rel_ratio"] = _fmt(ratio)
        _check(failed, "rm_rel_ratio", ratio, spec.rm_rel_ratio)
    if spec.rel_ratio is not None and values["rel"] is not None:
        ratio = (values["rel"] / spec.rel.minimum).quantize(Decimal("0.01"))
        computed["rel_ratio"] = _fmt(ratio)
        _check(failed, "rel_ratio", ratio, spec.rel_ratio)

    deviation, allowed = values["weight_deviation"], band_value(standard.weight_deviation, diameter)
    if deviation is not None and allowed is not None and abs(deviation) > allowed:
        failed.append(
            Failure(
                "weight_deviation",
                ITEMS["weight_deviation"],
                _fmt(deviation),
                f"±{_fmt(allowed)}（{_fmt(diameter)} mm）",
                standard.weight_clause,
            )
        )
    mandrel = band_value(spec.bend_mandrel, diameter)
    for item, required, clause in (
        ("bend", True, spec.bend_clause),
        ("reverse_bend", spec.reverse_bend, spec.reverse_bend_clause),
    ):
        result = measured.get(item)
        if result in (None, ""):
            continue
        if result not in (PASS, FAIL):
            raise StandardError(item, f"{ITEMS[item]}应为 pass 或 fail，实际为“{result}”")
        if result == FAIL and required:
            extra = 1 if item == "reverse_bend" else 0
            limit = f"弯心直径 {_fmt(mandrel + extra)}d，受弯曲部位表面不得产生裂纹" if mandrel else "无裂纹"
            failed.append(Failure(item, ITEMS[item], "不合格", limit, clause))

    for item in CHEMISTRY:
        _check(failed, item, values[item], spec.chemistry.get(item))
    ceq = values["ceq"]
    if ceq is None and (ceq := compute_ceq(values)) is not None:
        computed["ceq"] = _fmt(ceq)
        notes.append(f"碳当量按 {standard.ceq_formula} 计算")
    ceq_limit = spec.chemistry.get("ceq")
    if ceq_limit is not None and ceq is not None:
        tolerance = standard.ceq_product_tolerance
        _check(
            failed,
            "ceq",
            ceq,
            ceq_limit,
            maximum=ceq_limit.maximum + tolerance,
            note=f"（{_fmt(ceq_limit.maximum)} + 成品分析允许偏差 {_fmt(tolerance)}）" if tolerance else "",
        )

    tested = (
        {k for k, v in values.items() if v is not None}
        | {k for k in ("bend", "reverse_bend") if measured.get(k) not in (None, "")}
        | set(computed)
    )
    not_tested = [item for item in ITEMS if item not in tested and _applies(spec, item)]
    retestable = not any(f.item in standard.retest_excluded for f in failed)
    if not retestable:
        notes.append(f"重量偏差不合格，不得复验（{standard.retest_clause}）")
    if standard.provisional:
        notes.append(f"说明：{standard.provisional}")
    return Verdict(
        grade=grade,
        diameter_mm=diameter,
        standard=standard.code,
        conforming=not failed,
        failed=failed,
        not_tested=not_tested,
        computed=computed,
        notes=notes,
        retestable=retestable,
    )


def _applies(spec, item: str) -> bool:
    if item == "a":
        return spec.a is not None
    if item in ("rm_rel_ratio", "rel_ratio", "reverse_bend"):
        return bool(getattr(spec, item))
    if item in ("c", "si", "mn", "p", "s", "n", "ceq"):
        return item in spec.chemistry
    return True


# --- the suspicion of 地条钢: apart from the verdict -----------------------------------------------------

SUSPECT_ITEMS = {
    "p": "磷含量超标（{value}%，限值 {limit}）：感应炉熔炼废钢无法脱磷的典型特征",
    "s": "硫含量超标（{value}%，限值 {limit}）：感应炉熔炼废钢无法脱硫的典型特征",
    "ceq": "碳当量超标（{value}%，限值 {limit}）：成分失控",
    "agt": "最大力总延伸率偏低（{value}%，要求 {limit}）：钢质差、夹杂多",
}


def suspicion_reasons(verdict: Verdict, *, facts: list[str] = ()) -> list[str]:
    """Why a sample is suspected to be 地条钢: from the verdict, then the facts found in the records (licence,
    manufacturer's furnaces, credit list, the seller's incoming-goods record)."""
    reasons = []
    for failure in verdict.failed:
        if failure.item in SUSPECT_ITEMS:
            reasons.append(SUSPECT_ITEMS[failure.item].format(value=failure.value, limit=failure.limit))
        elif failure.item == "weight_deviation" and failure.value.startswith("-"):
            reasons.append(
                f"严重负偏差（重量偏差 {failure.value}%，允许 {failure.limit}）：以次充好、“瘦身”钢筋"
            )
    return reasons + [fact for fact in facts if fact not in reasons]
