"""The benchmark's baseline: the detection features as a data scientist would write them without this
package — `df.groupby("account_id").apply(account_features)`, with pandas operations on each account's
Series (reindex to the 15-minute grid, resample per day, shift/diff for the dips, cumsum look-ups for the
plateaus between them, groupby per day for the sessions, rolling for standby use).

It mirrors `analytics/features.py` (constants imported from there) so that the comparison is of the same
work; `bench_detect.py` checks on its subsample that both give the same feature values. It is written
vectorised *within* each account (no Python loop over dips or days), which is kind to the baseline.
Only the features: no scores or reasons (the detection side does those too). Not product code.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics import features as F
from analytics.kernels import EDGE_END, EDGE_START

SLOT = pd.Timedelta(minutes=15)
COMPARED = (
    "days", "coverage", "mean_kw", "base_kw", "peak_kw", "night_share", "max_day_kwh",
    "melt_cycles_max", "melt_sessions", "melt_night_sessions", "melt_period_min", "melt_power_kw",
    "melt_cycle_kwh", "change_score", "change_day", "change_before_kwh", "change_after_kwh",
    "standby_days", "standby_excess_kwh",
)  # fmt: skip


def account_features(group: pd.DataFrame, standby_kw: float = 5.0, check_standby: bool = False) -> pd.Series:
    """One account's readings (ts, kw) → its features."""
    s = group.drop_duplicates("ts", keep="last").set_index("ts")["kw"].astype("float32").sort_index()
    s = s.where(s <= F_ABSURD_KW).clip(lower=0)  # absurd → missing, negative → 0
    start = s.index.min().normalize()
    grid = pd.date_range(start, s.index.max().normalize() + pd.Timedelta(days=1), freq=SLOT, inclusive="left")
    s = s.reindex(grid)  # gaps stay NaN

    # Daily reductions.
    daily = s.resample("D")
    count = daily.count()
    day_kwh = (s.fillna(0).resample("D").sum() * F.HOURS_PER_SLOT).astype("float32")  # as features.py
    day_kwh[count == 0] = np.nan
    hour = s.index.hour
    night_kwh = s.where((hour >= 22) | (hour < 6)).fillna(0).resample("D").sum() * F.HOURS_PER_SLOT
    day_min, day_peak = daily.min(), daily.max()
    base = day_min.median()
    total_kwh = day_kwh.sum()
    out = {
        "days": (count > 0).sum(),
        "coverage": count.sum() / max((count > 0).sum() * F_SLOTS_PER_DAY, 1),
        "mean_kw": total_kwh / max(count.sum(), 1) / F.HOURS_PER_SLOT,
        "base_kw": base,
        "peak_kw": day_peak.max(),
        "night_share": night_kwh.sum() / total_kwh if total_kwh else np.nan,
        "max_day_kwh": day_kwh.max(),
    }
    out |= melt_features(s, np.float32(base), day_min)
    out |= change_point(day_kwh)
    out |= standby_use(s, standby_kw) if check_standby else {"standby_days": 0, "standby_excess_kwh": 0.0}
    return pd.Series(out, dtype="float64").fillna(0.0).replace([np.inf, -np.inf], 0.0)


def dips(s: pd.Series, base: np.float32) -> pd.DataFrame:
    """Drops-and-returns of 1–2 intervals, and the rises from / falls to the floor (session edges)."""
    left, mid, right, right2 = s.shift(1), s, s.shift(-1), s.shift(-2)
    shoulder1 = np.minimum(left, right)
    deficit1 = shoulder1 - mid
    shoulder2 = np.minimum(left, right2)
    deficit2 = 2 * shoulder2 - mid - right
    two_wide = (np.minimum(shoulder2 - mid, shoulder2 - right) >= 0.25 * deficit2) & (deficit2 > deficit1)
    depth = deficit2.where(two_wide, deficit1)
    shoulder = shoulder2.where(two_wide, shoulder1)
    candidate = depth >= np.maximum(F.DIP_MIN_KW, F.DIP_MIN_SHARE * (shoulder - base))
    scored = depth.where(candidate, 0)
    candidate &= (scored >= scored.shift(1, fill_value=-1)) & (scored > scored.shift(-1, fill_value=-1))
    top = np.maximum(left, right2.where(two_wide, right))
    rise, fall = right - mid, left - mid
    starts = (rise >= np.maximum(F.DIP_MIN_KW, 0.5 * (right - base))) & ((left - mid).abs() <= 0.2 * rise)
    ends = (fall >= np.maximum(F.DIP_MIN_KW, 0.5 * (left - base))) & ((right - mid).abs() <= 0.2 * fall)
    edge = (starts | ends) & ~candidate
    frame = pd.DataFrame(
        {
            "slot": np.arange(len(s)),
            "width": 1 + (two_wide & ~edge),
            "depth": depth.where(~edge, rise.where(starts, fall)),
            "shoulder": shoulder.where(~edge, right.where(starts, left)),
            "top": top.where(~edge, right.where(starts, left)),
            "bottom": np.maximum(mid, right).where(two_wide, mid),
            "side": np.where(edge & starts, EDGE_START, np.where(edge, EDGE_END, 0)),
        }
    )
    return frame[(candidate | edge).to_numpy()].reset_index(drop=True)


def melt_features(s: pd.Series, base: np.float32, day_min: pd.Series) -> dict:
    n = len(s)
    d = dips(s, base)
    values = s.to_numpy()
    cum_steps = s.diff().abs().fillna(0).astype("float64").cumsum().to_numpy()
    cum_gaps = s.isna().cumsum().to_numpy()
    cum_kw = s.fillna(0).astype("float64").cumsum().to_numpy()
    slot, depth = d["slot"].to_numpy(), d["depth"].to_numpy()
    prev = d.shift(1)
    prev_slot = prev["slot"].fillna(d["slot"].iloc[0] if len(d) else 0).astype(int).to_numpy()
    prev_width = prev["width"].fillna(d["width"].iloc[0] if len(d) else 1).astype(int).to_numpy()
    prev_depth = prev["depth"].fillna(d["depth"].iloc[0] if len(d) else 0).to_numpy()
    prev_bottom = prev["bottom"].fillna(d["bottom"].iloc[0] if len(d) else 0).to_numpy()
    prev_shoulder = prev["shoulder"].fillna(d["shoulder"].iloc[0] if len(d) else 0).to_numpy()
    spacing = slot - prev_slot
    plateau_start = np.minimum(prev_slot + prev_width, n - 1)
    plateau_len = slot - plateau_start
    trim = (plateau_len >= 4).astype(int)
    with np.errstate(all="ignore"):
        roughness = (
            (cum_steps[slot - 1 - trim] - cum_steps[plateau_start + trim])
            / np.maximum(plateau_len - 1 - 2 * trim, 1)
            / depth
        )
        depth_ratio = np.maximum(depth / prev_depth, prev_depth / depth)
        span = np.minimum(plateau_start[:, None] + np.arange(F.SPACING_MAX), n - 1)
        inside = np.arange(F.SPACING_MAX) < plateau_len[:, None]
        level = np.fmax.reduce(np.where(inside, values[span], np.nan), axis=1, initial=-np.inf)
        bottom, shoulder = d["bottom"].to_numpy(), d["shoulder"].to_numpy()
        trough = np.maximum(bottom, prev_bottom)
        drop = np.minimum(shoulder - bottom, prev_shoulder - prev_bottom)
        lift = level - trough
        plateau_mean = (cum_kw[slot - 1 - trim] - cum_kw[plateau_start + trim - 1]) / np.maximum(
            plateau_len - 2 * trim, 1
        )
        high = (lift >= F.PLATEAU_LIFT * drop) & (plateau_mean - trough >= F.PLATEAU_FILL * lift)
    d["regular"] = (
        high
        & (d.index > 0)
        & (spacing >= F.SPACING_MIN)
        & (spacing <= F.SPACING_MAX)
        & (plateau_len >= F.PLATEAU_MIN_SLOTS)
        & (plateau_len >= prev_width)
        & (roughness <= F.ROUGHNESS_MAX)
        & (depth_ratio <= F.DEPTH_RATIO_MAX)
        & (cum_gaps[slot] == cum_gaps[prev_slot])
    )
    d["spacing"], d["prev_slot"], d["level"] = spacing, prev_slot, level
    d["at_floor"] = (d["side"] > 0) & (d["bottom"] - base <= F.HOLDING_SHARE * d["depth"])
    d["prev_at_floor"] = d["at_floor"].shift(1, fill_value=False)

    # Sessions: consecutive regular cycles of one furnace.
    r = d[d["regular"]].reset_index()
    before = r.shift(1)
    with np.errstate(all="ignore"):
        level_shift = (r["level"] - before["level"]).abs() / np.maximum(r["level"] - base, 1e-3)
    linked = (
        (r.index > 0)
        & (r["slot"] - before["slot"] <= r["spacing"] + F.SESSION_BREAK_SLOTS)
        & (
            (r["prev_slot"] - before["slot"] <= F.LONG_BREAK_SLOTS)
            | (cum_gaps[r["prev_slot"]] != cum_gaps[before["slot"].fillna(0).astype(int)])
        )
        & ~r["prev_at_floor"]
        & ~before["at_floor"].astype("boolean").fillna(False).astype(bool)
        & ((r["spacing"] - before["spacing"]).abs() <= F.SPACING_JITTER)
        & (level_shift <= F.LEVEL_JITTER)
    )
    r["session"] = (~linked).cumsum()
    sessions = r.groupby("session").agg(
        first=("index", "first"), opening=("prev_slot", "min"), closing=("slot", "max"),
        level=("level", "mean"), depth=("depth", "mean"),
    )  # fmt: skip

    def hour_mean(lo):
        lo = np.clip(lo, 0, n - 1)
        hi = np.clip(lo + 3, 0, n - 1)
        below = np.where(lo > 0, cum_kw[np.maximum(lo - 1, 0)], 0.0)
        return (cum_kw[hi] - below) / (hi - lo + 1)

    o, c = sessions["opening"].to_numpy(), sessions["closing"].to_numpy()
    outside = np.minimum.reduce([hour_mean(o - 4), hour_mean(o - 8), hour_mean(c + 1), hour_mean(c + 5)])
    sessions["stands_out"] = sessions["level"] - outside >= F.SESSION_STEP * sessions["depth"]
    r = r.join(sessions[["first", "stands_out"]], on="session")
    r["cycles"] = np.where(r["stands_out"], r.groupby("session").cumcount() + 1, 0)

    # Per day the session started: cycles, period, power, energy, night share.
    r["day"] = d["slot"].to_numpy()[r["first"]] // F_SLOTS_PER_DAY if len(r) else []
    floor = day_min.to_numpy()[r["day"]] if len(r) else np.zeros(0)
    r["kwh"] = (cum_kw[r["slot"]] - cum_kw[r["prev_slot"]] - floor * r["spacing"]) * F.HOURS_PER_SLOT
    tod = r["slot"] % F_SLOTS_PER_DAY
    r["night"] = (tod >= F.NIGHT_START_SLOT) | (tod < F.NIGHT_END_SLOT)
    # a day with a session (≥ MIN_SESSION_CYCLES cycles) is described by its sessions' cycles only
    in_session = r.groupby("session")["cycles"].transform("max") >= F.MIN_SESSION_CYCLES
    counted = in_session | ~in_session.groupby(r["day"]).transform("any")
    per_day = r[counted].groupby("day").agg(
        spacing=("spacing", "mean"), shoulder=("shoulder", "mean"), kwh=("kwh", "mean"), night=("night", "mean"),
    )  # fmt: skip
    per_day = per_day.join(r.groupby("day").agg(cycles=("cycles", "max")), how="outer")
    per_day = per_day.reindex(range(len(day_min)))
    per_day["cycles"] = per_day["cycles"].fillna(0)
    per_day["furnace_kw"] = per_day["shoulder"] - day_min.to_numpy()
    session = per_day["cycles"] >= F.MIN_SESSION_CYCLES
    best = per_day["cycles"].to_numpy().argmax()
    return {
        "melt_cycles_max": per_day["cycles"].max(),
        "melt_sessions": session.sum(),
        "melt_night_sessions": (session & (per_day["night"] >= 0.5)).sum(),
        "melt_period_min": per_day["spacing"].iloc[best] * 15,
        "melt_power_kw": max(per_day["furnace_kw"].where(session).fillna(0).max(), 0),
        "melt_cycle_kwh": max(per_day["kwh"].where(session).fillna(0).max(), 0),
    }


def change_point(day_kwh: pd.Series, min_days: int = 3) -> dict:
    valid = day_kwh.notna()
    e = day_kwh.fillna(0)
    c_n, c_s, c_ss = valid.cumsum(), e.cumsum(), (e * e).cumsum()
    n1, s1, ss1 = c_n.iloc[:-1].to_numpy(), c_s.iloc[:-1].to_numpy(), c_ss.iloc[:-1].to_numpy()
    n2, s2, ss2 = c_n.iloc[-1] - n1, c_s.iloc[-1] - s1, c_ss.iloc[-1] - ss1
    with np.errstate(all="ignore"):
        m1, m2 = s1 / n1, s2 / n2
        var = (ss1 - n1 * m1**2 + ss2 - n2 * m2**2) / np.maximum(n1 + n2 - 2, 1)
        scale = np.sqrt(np.maximum(var, 0)) + 0.05 * np.abs(np.maximum(m1, m2)) + 1.0
        t = pd.Series(np.abs(m2 - m1) / scale)
    t = t.where((n1 >= min_days) & (n2 >= min_days) & valid.iloc[1:].to_numpy(), 0).fillna(0)
    if t.empty:
        return {"change_score": 0.0, "change_day": 1, "change_before_kwh": 0.0, "change_after_kwh": 0.0}
    split = int(t.to_numpy().argmax())
    return {
        "change_score": t.max(),
        "change_day": split + 1,
        "change_before_kwh": m1[split],
        "change_after_kwh": m2[split],
    }


def standby_use(s: pd.Series, standby_kw: float) -> dict:
    """Days with an hour or more above standby, and the energy above it (closed/idle sites)."""
    above = (s > standby_kw).astype(int)
    run_end = above.rolling(F.STANDBY_RUN_SLOTS).sum() == F.STANDBY_RUN_SLOTS
    sustained = run_end[::-1].rolling(F.STANDBY_RUN_SLOTS, min_periods=1).max()[::-1].astype(bool)
    excess = (s - standby_kw).where(sustained, 0).fillna(0)
    return {
        "standby_days": sustained.resample("D").any().sum(),
        "standby_excess_kwh": excess.sum() * F.HOURS_PER_SLOT,
    }


F_ABSURD_KW = 100_000.0  # no registry in the benchmark: the 100 MW cap of analytics.clean
F_SLOTS_PER_DAY = 96


def groupby_apply(frame: pd.DataFrame) -> pd.DataFrame:
    """The baseline itself: one row of features per account."""
    return frame.groupby("account_id")[["ts", "kw"]].apply(account_features)
