"""The verdict engine on tables of cases: every limit of the data, the reductions, the version choice."""

import datetime
from decimal import Decimal

import pytest

from steelwatch.market.standards import GRADES, VERSIONS
from steelwatch.market.verdict import StandardError, compute_ceq, judge, suspicion_reasons

MADE = datetime.date(2023, 5, 10)
GOOD_400E = {
    "rel": 445, "rm": 600, "agt": 11.5, "weight_deviation": -2.1, "bend": "pass", "reverse_bend": "pass",
    "c": 0.22, "si": 0.45, "mn": 1.40, "p": 0.028, "s": 0.021, "n": 0.008, "ceq": 0.48,
}  # fmt: skip


def _judge(grade="HRB400E", diameter=20, made=MADE, **changes):
    measured = {**GOOD_400E, **changes}
    return judge(grade=grade, diameter_mm=diameter, production_date=made, measured=measured)


def test_a_good_bar_conforms_against_the_2018_text():
    verdict = _judge()
    assert verdict.conforming and verdict.failed == [] and verdict.standard == "GB/T 1499.2-2018"
    assert verdict.computed == {"rm_rel_ratio": "1.35", "rel_ratio": "1.11"}


@pytest.mark.parametrize(
    ("grade", "diameter", "changes", "item", "limit"),
    [
        ("HRB400", 20, {"rel": 395}, "rel", "≥ 400"),
        ("HRB400", 20, {"rm": 535}, "rm", "≥ 540"),
        ("HRB400", 20, {"a": 15.5}, "a", "≥ 16"),
        ("HRB400", 32, {"a": 14.5}, "a", "≥ 15（32 mm 可降低 1）"),
        ("HRB400", 50, {"a": 13.5}, "a", "≥ 14（50 mm 可降低 2）"),
        ("HRB400", 20, {"agt": 7.4}, "agt", "≥ 7.5"),
        ("HRB400E", 20, {"agt": 8.9}, "agt", "≥ 9.0"),
        ("HRB400E", 20, {"rel": 440, "rm": 545}, "rm_rel_ratio", "≥ 1.25"),
        ("HRB400E", 20, {"rel": 525, "rm": 700}, "rel_ratio", "≤ 1.30"),
        ("HRB500", 20, {"rel": 499, "rm": 640}, "rel", "≥ 500"),
        ("HRB500", 20, {"rel": 520, "rm": 629}, "rm", "≥ 630"),
        ("HRB500", 20, {"rel": 520, "rm": 660, "a": 14.9}, "a", "≥ 15"),
        ("HRB500E", 20, {"rel": 520, "rm": 660, "agt": 8.5}, "agt", "≥ 9.0"),
        ("HRB600", 20, {"rel": 590, "rm": 760}, "rel", "≥ 600"),
        ("HRB600", 20, {"rel": 620, "rm": 720}, "rm", "≥ 730"),
        ("HRB600", 20, {"rel": 620, "rm": 760, "a": 13.9}, "a", "≥ 14"),
        ("HRB600", 20, {"rel": 620, "rm": 760, "c": 0.29}, "c", "≤ 0.28"),
        ("HPB300", 10, {"rel": 290, "rm": 450, "ceq": None, "n": None}, "rel", "≥ 300"),
        ("HPB300", 10, {"rel": 320, "rm": 415, "ceq": None, "n": None}, "rm", "≥ 420"),
        ("HPB300", 10, {"rel": 320, "rm": 450, "a": 24.5, "ceq": None, "n": None}, "a", "≥ 25.0"),
        ("HPB300", 10, {"rel": 320, "rm": 450, "agt": 9.9, "ceq": None, "n": None}, "agt", "≥ 10.0"),
        ("HPB300", 10, {"rel": 320, "rm": 450, "si": 0.60, "ceq": None, "n": None}, "si", "≤ 0.55"),
        ("HPB300", 10, {"rel": 320, "rm": 450, "mn": 1.55, "ceq": None, "n": None}, "mn", "≤ 1.50"),
        ("HRB400", 20, {"p": 0.046}, "p", "≤ 0.045"),
        ("HRB400", 20, {"s": 0.050}, "s", "≤ 0.045"),
        ("HRB400", 20, {"n": 0.013}, "n", "≤ 0.012"),
        ("HRB400", 20, {"c": 0.26}, "c", "≤ 0.25"),
        ("HRB400", 20, {"si": 0.81}, "si", "≤ 0.80"),
        ("HRB400", 20, {"mn": 1.61, "ceq": 0.50}, "mn", "≤ 1.60"),
        ("HRB400", 20, {"ceq": 0.58}, "ceq", "≤ 0.57（0.54 + 成品分析允许偏差 0.03）"),
        ("HRB500", 20, {"rel": 520, "rm": 660, "ceq": 0.59}, "ceq", "≤ 0.58（0.55 + 成品分析允许偏差 0.03）"),
        ("HRB400", 10, {"weight_deviation": -6.5}, "weight_deviation", "±6.0（10 mm）"),
        ("HRB400", 16, {"weight_deviation": 5.2}, "weight_deviation", "±5.0（16 mm）"),
        ("HRB400", 25, {"weight_deviation": -4.1}, "weight_deviation", "±4.0（25 mm）"),
        ("HPB300", 22, {"rel": 320, "rm": 450, "weight_deviation": -5.5, "ceq": None, "n": None},
         "weight_deviation", "±5.0（22 mm）"),
        ("HRB400", 20, {"bend": "fail"}, "bend", "弯心直径 4d，受弯曲部位表面不得产生裂纹"),
        ("HRB400", 32, {"bend": "fail"}, "bend", "弯心直径 5d，受弯曲部位表面不得产生裂纹"),
        ("HRB500E", 50, {"rel": 520, "rm": 660, "bend": "fail"}, "bend", "弯心直径 8d，受弯曲部位表面不得产生裂纹"),
        ("HRB400E", 20, {"reverse_bend": "fail"}, "reverse_bend", "弯心直径 5d，受弯曲部位表面不得产生裂纹"),
    ],
)  # fmt: skip
def test_each_limit_fails_just_beyond_it(grade, diameter, changes, item, limit):
    verdict = _judge(grade, diameter, **changes)
    assert not verdict.conforming
    assert [f.item for f in verdict.failed] == [item]
    assert verdict.failed[0].limit == limit and verdict.failed[0].clause


@pytest.mark.parametrize(
    ("grade", "diameter", "changes"),
    [
        ("HRB400", 20, {"rel": 400, "rm": 540, "a": 16, "agt": 7.5}),  # limits are inclusive
        ("HRB400", 32, {"a": 15}),  # 28–40 mm: one point lower
        ("HRB400", 50, {"a": 14}),  # > 40 mm: two points lower
        ("HRB400E", 20, {"a": 5}),  # E grades: A is "—" in table 6, judged by Agt
        ("HRB400", 20, {"ceq": 0.57}),  # product analysis tolerance
        ("HRB400", 10, {"weight_deviation": -6.0}),
        ("HRB400", 20, {"reverse_bend": "fail"}),  # reverse bend is required of E grades only
    ],
)
def test_values_on_the_limit_or_relieved_conform(grade, diameter, changes):
    assert _judge(grade, diameter, **changes).conforming


def test_the_done_means_bar_fails_on_p_and_agt_and_is_suspect():
    verdict = _judge(p=0.068, agt=6.1)
    assert verdict.failed_items == ["agt", "p"]
    assert {(f.item, f.value, f.limit) for f in verdict.failed} == {
        ("agt", "6.1", "≥ 9.0"),
        ("p", "0.068", "≤ 0.045"),
    }
    reasons = suspicion_reasons(verdict, facts=["经营者无该炉号进货记录"])
    assert len(reasons) == 3 and "磷" in reasons[1] and "0.068" in reasons[1] and "进货" in reasons[2]


def test_weight_deviation_failure_is_not_retestable_and_underweight_is_suspect():
    verdict = _judge("HRB400", 12, weight_deviation=-9.0)
    assert not verdict.retestable and any("不得复验" in n for n in verdict.notes)
    assert "负偏差" in suspicion_reasons(verdict)[0]
    assert _judge(p=0.05).retestable


def test_ceq_is_computed_when_not_given():
    assert compute_ceq(
        {"c": Decimal("0.20"), "mn": Decimal("1.20"), "cr": Decimal("0.10"), "cu": Decimal("0.15")}
    ) == Decimal("0.43")
    verdict = _judge(ceq=None, c=0.25, mn=1.60)  # 0.25 + 0.2667 = 0.52
    assert verdict.computed["ceq"] == "0.52" and verdict.conforming
    assert _judge(ceq=None, c=0.25, mn=1.60, v=0.30).failed_items == ["ceq"]  # + 0.06 = 0.58


def test_version_is_chosen_by_production_date():
    assert _judge(made=datetime.date(2024, 9, 24)).notes == [n for n in _judge().notes]
    late = _judge(made=datetime.date(2024, 9, 25))
    assert late.standard == "GB/T 1499.2-2018"
    assert any("GB 1499.2-2024" in n and "2018" in n for n in late.notes)
    assert any("生产日期未知" in n for n in _judge(made=None).notes)
    plain = _judge("HPB300", 10, made=datetime.date(2025, 1, 1), rel=320, rm=450, ceq=None, n=None)
    assert plain.standard == "GB/T 1499.1-2017" and any("GB 1499.1-2024" in n for n in plain.notes)


def test_untested_items_are_listed_not_failed():
    verdict = judge(grade="HRB400E", diameter_mm=20, production_date=MADE, measured={"p": 0.03})
    assert verdict.conforming and "agt" in verdict.not_tested and "a" not in verdict.not_tested


@pytest.mark.parametrize(
    ("grade", "diameter", "field"),
    [("HRB335", 20, "grade"), ("Q235", 20, "grade"), ("HRB400", 24, "diameter_mm"), ("HPB300", 25, "diameter_mm"),
     ("HRB400", 20.5, "diameter_mm")],
)  # fmt: skip
def test_unknown_grade_or_diameter_is_refused(grade, diameter, field):
    with pytest.raises(StandardError) as error:
        judge(grade=grade, diameter_mm=diameter, production_date=MADE, measured={})
    assert error.value.field == field


def test_every_grade_of_the_issue_is_in_the_data_with_its_clauses():
    assert set(GRADES) == {
        "HRB400", "HRBF400", "HRB400E", "HRBF400E", "HRB500", "HRBF500", "HRB500E", "HRBF500E", "HRB600", "HPB300",
    }  # fmt: skip
    for texts in VERSIONS.values():
        for standard in texts:
            for grade in standard.grades.values():
                limits = [grade.rel, grade.rm, grade.agt, *grade.chemistry.values()]
                assert all(limit.clause.startswith(standard.code) for limit in limits)
