"""Chinese reasons citing the evidence, built only for accounts with something to say."""

from __future__ import annotations

import datetime as dt

import numpy as np

from analytics import scoring
from analytics.clean import SLOTS_PER_DAY
from analytics.features import MIN_SESSION_CYCLES

KWH_PER_TONNE = scoring.KWH_PER_TONNE
NOTHING = "未见异常用电特征"
MAX_DATES = 6


def power(kw: float) -> str:
    return f"{kw / 1000:.1f} MW" if kw >= 1000 else f"{kw:.0f} kW"


def clock(slot: float) -> str:
    slot = int(round(slot / 4) * 4) % SLOTS_PER_DAY  # to the hour
    return f"{slot // 4:02d}:00"


def window(start: float, end: float) -> str:
    """A session's hours from its day's midnight in slots (either may lie on the day before or after):
    "08:00–15:00", "22:00–次日04:00", "19:00–24:00", or from 24 hours on "07:00起连续约26小时"."""
    first, last = (int(round(s / 4) * 4) for s in (start, end))  # to the hour
    if last - first >= SLOTS_PER_DAY:
        return f"{clock(first)}起连续约{(end - start) / 4:.0f}小时"
    if last == (first // SLOTS_PER_DAY + 1) * SLOTS_PER_DAY:
        return f"{clock(first)}–24:00"
    next_day = "次日" if last // SLOTS_PER_DAY > first // SLOTS_PER_DAY else ""
    return f"{clock(first)}–{next_day}{clock(last)}"


def date_zh(day0: dt.date, offset: int) -> str:
    day = day0 + dt.timedelta(days=int(offset))
    return f"{day.month}月{day.day}日"


def dates(day0: dt.date, days: np.ndarray, night: bool = False) -> str:
    shown = "、".join(date_zh(day0, d) for d in days[:MAX_DATES])
    more = f"等{len(days)}{'晚' if night else '天'}" if len(days) > MAX_DATES else ""
    return shown + more


def melt_reason(i: int, feats: dict[str, np.ndarray], details: dict[str, np.ndarray], day0: dt.date) -> str:
    cycles = details["day_cycles"][i]
    session_days = np.flatnonzero(cycles >= MIN_SESSION_CYCLES)
    best = int(np.argmax(cycles))
    # the longest session: its own hours and night share (medians across nights would mix sessions begun
    # before and after midnight, and the day's other sessions are other windows)
    night = details["day_session_night"][i, best] >= 0.5
    start, end = (details[k][i, best] for k in ("day_first_slot", "day_last_slot"))
    when = "夜间" if night else "白天"
    heat_kwh = feats["melt_cycle_kwh"][i]
    tonnes = heat_kwh / KWH_PER_TONNE
    text = (
        f"{when}{window(start, end)}出现周期约{feats['melt_period_min'][i]:.0f}分钟、峰值{power(feats['melt_power_kw'][i])}的"
        f"周期性负荷（连续{int(cycles[best])}个以上熔炼周期），符合感应炉熔炼特征"
    )
    text += f"，共{len(session_days)}{'晚' if night else '天'}（{dates(day0, session_days, night)}）"
    if heat_kwh > 0:
        text += f"，每炉耗电约{heat_kwh:.0f} kWh，按{KWH_PER_TONNE} kWh/t折合每炉约{tonnes:.1f} t钢"
    return text


def registry_reason(i: int, feats: dict[str, np.ndarray], registry: scoring.Registry) -> str:
    registered = registry.registered_kw[i]
    industry = f"（登记行业：{registry.industry[i]}）" if registry.industry[i] else ""
    if registered <= 0:
        return f"该户未登记感应炉{industry}"
    ratio = feats["melt_power_kw"][i] / registered
    if ratio <= scoring.EXPLAINED_RATIO:
        return f"熔炼功率约为登记炉容量{power(registered)}的{ratio:.1f}倍，在登记产能以内"
    beyond = int(
        scoring.session_evidence({k: v[i : i + 1] for k, v in feats.items()}, _one(registry, i))["sessions"][
            0
        ]
    )
    return (
        f"熔炼功率约为登记炉容量的{ratio:.1f}倍（约{power(feats['melt_power_kw'][i])}，登记{power(registered)}；"
        f"超出登记容量的熔炼共{beyond}次）"
    )


def sustained_reason(i: int, feats: dict[str, np.ndarray], registry: scoring.Registry) -> str:
    """Power held for hours beyond what the registered furnaces can draw, cycles seen or not."""
    registered = registry.registered_kw[i]
    return (
        f"连续4小时平均功率（扣除基础负荷）最高约{power(feats['sustained_kw'][i])}，约为登记炉容量{power(registered)}的"
        f"{feats['sustained_kw'][i] / registered:.1f}倍，超过{scoring.FAR_BEYOND_RATIO:g}倍的共"
        f"{int(feats['sustained_beyond_days'][i])}天（登记炉满功率也达不到，说明有未登记的熔炼容量）"
    )


def extra_reason(i: int, feats: dict[str, np.ndarray], registry: scoring.Registry, day0: dt.date,
                 melting: bool) -> str:  # fmt: skip
    """Extra blocks on hourly means that the registered furnaces do not explain (scoring.extra_evidence)."""
    registered = registry.registered_kw[i]
    day_kw = feats["extra_day_kw"][i]
    days = np.flatnonzero(
        (day_kw >= scoring.MIN_FURNACE_KW) & (day_kw > scoring.EXPLAINED_RATIO * registered)
    )
    night = int(feats["extra_unexplained_night"][i])
    text = (
        f"共{len(days)}天（{dates(day0, days)}）出现连续3小时以上、比该户同时段平常用电高出约"
        f"{power(feats['extra_unexplained_kw'][i])}的额外负荷"
        + (f"，其中{night}天在夜间" if night else "")
        + f"，约为其平常波动的{min(feats['extra_contrast'][i], 999):.0f}倍"
    )
    if feats["extra_unexplained_dips"][i] >= 2:
        text += f"，负荷块内有{int(feats['extra_unexplained_dips'][i])}次骤降又恢复（符合出钢、加料间歇）"
    if registered > 0:
        text += f"，超过登记炉容量{power(registered)}的{scoring.EXPLAINED_RATIO:g}倍"
    elif not melting:
        text += "；该户未登记感应炉"
    return text


def odds_reason(i: int, feats: dict[str, np.ndarray], scores: np.ndarray) -> str:
    prevalence = scoring.calibration()["prevalence"]  # stated once for every resolution
    text = f"按每{1 / prevalence:.0f}户约1户违法估算，违法熔炼的概率约{scores[i]:.0%}"
    if feats["tonnes"][i] > 0:
        text += f"；检测窗口内估算熔炼约{feats['tonnes'][i]:.1f} t钢（按{KWH_PER_TONNE} kWh/t）"
    return text


def _one(registry: scoring.Registry, i: int) -> scoring.Registry:
    return scoring.Registry(*(a[i : i + 1] for a in (registry.contracted_kva, registry.registered_kw,
                                                      registry.status, registry.industry)))  # fmt: skip


def dormant_reason(
    i: int,
    feats: dict[str, np.ndarray],
    details: dict[str, np.ndarray],
    registry: scoring.Registry,
    day0: dt.date,
) -> str:
    alive = np.flatnonzero(details["day_alive"][i])
    kwh = details["day_kwh"][i, alive]
    state = "关停" if registry.status[i] == "closed" else "停产"
    per_day = "、".join(
        f"{date_zh(day0, d)}{k:.0f} kWh" for d, k in zip(alive[:MAX_DATES], kwh, strict=False)
    )
    more = f"等{len(alive)}天" if len(alive) > MAX_DATES else ""
    return (
        f"该户登记为{state}，但{per_day}{more}仍有持续1小时以上高于待机{registry.standby_kw[i]:.0f} kW的用电，"
        f"超出待机部分合计约{feats['standby_excess_kwh'][i]:.0f} kWh"
    )


def reasons(
    feats: dict[str, np.ndarray],
    details: dict[str, np.ndarray],
    registry: scoring.Registry,
    levels: np.ndarray,
    day0: dt.date,
    scores: np.ndarray | None = None,
) -> list[str]:
    out = [NOTHING] * len(levels)
    melting = feats["melt_sessions"] > 0
    alive = (feats["standby_days"] > 0) & registry.dormant
    contract = np.nan_to_num(registry.contracted_kva, nan=np.inf)
    over = feats["peak_kw"] > scoring.OVER_CONTRACT_RATIO * contract
    notable = (
        (levels != scoring.NORMAL)
        | melting
        | alive
        | (feats.get("sustained_beyond_days", feats["days"] * 0) > 0)
    )
    for i in map(int, np.flatnonzero(notable)):
        parts = []
        if alive[i]:
            parts.append(dormant_reason(i, feats, details, registry, day0))
        if melting[i]:
            parts += [melt_reason(i, feats, details, day0), registry_reason(i, feats, registry)]
        elif feats["melt_cycles_max"][i] >= 1 and levels[i] != scoring.NORMAL:
            parts.append(f"出现{int(feats['melt_cycles_max'][i])}个疑似熔炼周期，证据不足")
        if feats.get("sustained_beyond_days", feats["days"] * 0)[i] > 0:
            parts.append(sustained_reason(i, feats, registry))
        if "extra_day_kw" in feats and feats["extra_unexplained_days"][i] > 0 and levels[i] != scoring.NORMAL:
            parts.append(extra_reason(i, feats, registry, day0, bool(melting[i])))
        if feats.get("burst_unexplained_days", feats["days"] * 0)[i] >= 1:
            parts.append(
                f"有{int(feats['burst_unexplained_days'][i])}天日用电量达前后两周平常日的3倍以上"
                "（仅有日电量，无法识别熔炼周期）"
            )
        if over[i]:
            parts.append(
                f"最大负荷{power(feats['peak_kw'][i])}，为合同容量{contract[i]:.0f} kVA的"
                f"{feats['peak_kw'][i] / contract[i]:.1f}倍（超过{scoring.OVER_CONTRACT_RATIO:g}倍即属超容用电）"
            )
        if feats["change_score"][i] >= scoring.CHANGE_SCORE_MIN:
            parts.append(
                f"自{date_zh(day0, feats['change_day'][i])}起日用电量由约{feats['change_before_kwh'][i]:.0f} kWh变为约"
                f"{feats['change_after_kwh'][i]:.0f} kWh"
            )
        if scores is not None and levels[i] != scoring.NORMAL and parts:
            parts.append(odds_reason(i, feats, scores))
        out[i] = "；".join(parts) or NOTHING
    return out
