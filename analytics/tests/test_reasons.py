"""Wording of the reasons."""

import re

import numpy as np

from analytics import reasons
from analytics.tests import loads
from analytics.tests.test_features import _one


def test_session_window_wording():
    assert reasons.window(28, 72) == "07:00–18:00"
    assert reasons.window(80, 116) == "20:00–次日05:00"
    assert reasons.window(-8, 20) == "22:00–次日05:00"  # begun before the midnight of its day
    assert reasons.window(76, 96) == "19:00–24:00"
    assert reasons.window(28, 140) == "07:00起连续约28小时"


def test_reason_cites_the_longest_session_not_the_days_union(rng):
    """A morning shift of four heats and, the same days, an evening campaign of eight that runs past
    midnight: the reason gives the evening campaign's hours (formerly the union of both, read modulo 24 h,
    came out as an inverted window such as "白天05:00–04:00")."""
    days = list(range(0, 30, 2))
    morning = loads.induction_furnace(rng, 30, 1500, days, start_hour=7, heats=4)
    evening = loads.induction_furnace(rng, 30, 1500, days, start_hour=19.5, heats=8)
    row = _one(loads.to_intervals(morning + evening))
    assert row["level"] == "alert"
    when = re.search(r"(白天|夜间)(\d\d):00–(次日)?(\d\d):00出现", row["reasons"])
    assert when, row["reasons"]
    word, start, next_day, end = when.groups()
    assert word == "夜间" and next_day == "次日", row["reasons"]
    assert 17 <= int(start) <= 21 and 1 <= int(end) <= 6, row["reasons"]


def test_window_never_inverted_within_a_day(rng):
    """Sessions on a day shift read as a plain same-day window."""
    days = list(range(0, 30, 3))
    kw = loads.to_intervals(loads.induction_furnace(rng, 30, 1500, days, start_hour=8, heats=6))
    row = _one(kw)
    when = re.search(r"(白天|夜间)(\d\d):00–(次日)?(\d\d):00出现", row["reasons"])
    assert when and when.group(1) == "白天" and not when.group(3), row["reasons"]
    assert int(when.group(2)) < int(when.group(4)), row["reasons"]
    assert np.isfinite(row["score"])


def test_over_contract_reason_gives_the_actual_ratio(rng):
    """A 6 MW furnace on a 2.5 MVA contract: the reason says 2.4 times, and names the 1.2 limit as such."""
    kw = loads.to_intervals(loads.induction_furnace(rng, 30, 6000, list(range(0, 30, 3)), start_hour=22))
    row = _one(kw)
    match = re.search(r"为合同容量2500 kVA的(\d+\.\d)倍（超过1\.2倍即属超容用电）", row["reasons"])
    assert match, row["reasons"]
    assert float(match.group(1)) == round(row["peak_kw"] / 2500.0, 1) and 2.0 <= float(match.group(1)) <= 2.6
