"""Load features of coreless induction furnaces, vectorised over a dense (accounts, days × 96) kW matrix.

At 15-minute resolution a melt shows as blocks of near-rated power (melting, 45–120 min tap-to-tap)
broken by dips of one or two intervals (tapping, slagging, charging at holding power). We find those
dips, keep the ones that repeat at a furnace's tap-to-tap spacing with flat plateaus between them, and
chain them into sessions; everything else (energy, night share, peaks, change points, standby use at
closed sites) is plain reductions. See docs/physics.md for the figures behind every constant.

Every per-account value depends on that account's own readings only — never on the other accounts in the
matrix or on NaN padding — so any grouping of accounts (threads, Spark buckets) gives the same numbers.
"""

from __future__ import annotations

import numpy as np

from analytics.clean import SLOTS_PER_DAY

HOURS_PER_SLOT = 0.25
NIGHT_START_SLOT, NIGHT_END_SLOT = 22 * 4, 6 * 4  # 22:00–06:00, the valley tariff window and beyond

# A dip is a drop from a plateau and back within 1–2 intervals (tapping/charging takes 10–25 min).
DIP_MIN_KW = 60.0  # the smallest furnaces worth hiding (~0.25 t, ~150–250 kW) still dip this much
DIP_MIN_SHARE = 0.25  # of the plateau's height above the account's standby level
# Consecutive dips of one furnace: 45–120 min tap-to-tap → 3–8 intervals; plateaus ≥ 2 intervals,
# flat (power held near rated while melting) and dips of similar depth.
SPACING_MIN, SPACING_MAX = 3, 8
PLATEAU_MIN_SLOTS = 2
ROUGHNESS_MAX = 0.3  # mean |Δ| on the plateau / dip depth
DEPTH_RATIO_MAX = 2.5
SPACING_JITTER = 2  # a 70-min cycle on a 15-min grid alternates 4 and 5 intervals
SESSION_STEP = 0.75  # a session's plateau rises ≥ half a dip's deficit above its surroundings
HOLDING_SHARE = 0.05  # a furnace waiting holds its bath at 5–20 % of rated: above this, not the floor
LONG_BREAK_SLOTS = 3  # a wait at holding power of up to ~45 min shows as two dips ≤ 3 intervals apart
SESSION_BREAK_SLOTS = 8  # a longer stop inside a session (crane, lining check, one irregular heat): ≤ 2 h
LEVEL_JITTER = 0.2  # one furnace melts at about the same power heat after heat (±5–15 %): shift of the
# plateau level (its highest interval) / its height above standby
PLATEAU_LIFT = 0.5  # the plateau's level stands above both troughs by ≥ half the smaller dip's drop
PLATEAU_FILL = 0.6  # and its mean is nearer its level than the troughs (a melt fills the plateau)
MIN_SESSION_CYCLES = 3  # a session: 3 regular cycles in a row (edges included: ≥ 3–5 heats)

STANDBY_RUN_SLOTS = 4  # "sustained": an hour or more above standby
DAILY_STANDBY_HOURS = 6  # daily data: a closed site's day 6 h × its standby threshold above its usual day
BURST_WINDOW_DAYS = 7  # daily data: a burst stands out of the usual energy of the ±7 days around it
BURST_MIN_KWH = 2000.0


def features(kw: np.ndarray, standby_kw: np.ndarray, check_standby: np.ndarray) -> tuple[dict, dict]:
    """Account features (1-D arrays) and per-day details (2-D arrays, for reasons) of a kW matrix.

    standby_kw: per-account threshold for "alive" use; check_standby: accounts (closed/idle sites)
    for which sustained use above it is computed.
    """
    from analytics import kernels  # numba: imported on first use, not by every `import analytics`

    n, n_slots = kw.shape
    days = kw.reshape(n, -1, SLOTS_PER_DAY)
    # readings per day, np.fmin / np.fmax over each day, np.nan_to_num(kw): one compiled pass
    slots_per_day, day_min, day_peak, zeroed = kernels.day_stats(kw)
    day_kwh = zeroed.reshape(days.shape).sum(axis=2) * HOURS_PER_SLOT
    night = np.zeros(SLOTS_PER_DAY, np.float32)
    night[NIGHT_START_SLOT:] = night[:NIGHT_END_SLOT] = HOURS_PER_SLOT
    day_night_kwh = zeroed.reshape(days.shape) @ night
    has_day = slots_per_day > 0
    day_kwh[~has_day] = np.nan
    n_days = has_day.sum(axis=1)
    base = nan_median(day_min)
    total_kwh = np.nansum(day_kwh, axis=1)

    melt, melt_days = melt_sessions(kw, base, day_min)
    dips = melt_days.pop("dips")
    melt["melt_day_anomaly"] = energy_anomaly(day_kwh, melt["melt_day_kwh"])
    day_sustained = sustained_means(zeroed.reshape(days.shape))
    change = change_point(day_kwh)
    standby = standby_use(kw, standby_kw, check_standby)

    with np.errstate(all="ignore"):
        feats = {
            "days": n_days,
            "coverage": slots_per_day.sum(axis=1) / np.maximum(n_days * SLOTS_PER_DAY, 1),
            "mean_kw": total_kwh / np.maximum(slots_per_day.sum(axis=1), 1) / HOURS_PER_SLOT,
            "base_kw": base,
            "peak_kw": np.fmax.reduce(day_peak, axis=1),
            "night_share": np.nansum(day_night_kwh, axis=1) / total_kwh,
            "max_day_kwh": np.fmax.reduce(day_kwh, axis=1),
            **melt,
            "sustained_kw": np.maximum(np.fmax.reduce(day_sustained, axis=1) - np.nan_to_num(base), 0),
            "day_sustained_kw": day_sustained,
            **change,
            **{k: v for k, v in standby.items() if v.ndim == 1},
        }
    details = {
        "dips": dips,
        "day_kwh": day_kwh,
        "day_peak": day_peak,
        **melt_days,
        **{k: v for k, v in standby.items() if v.ndim == 2},
    }
    return {k: finite64(v) for k, v in feats.items()}, details


COARSE_COLUMNS = ("extra_days", "extra_night_days", "extra_kw", "extra_kwh", "extra_noise_kw")
EXTRA_MIN_KW = (
    200.0  # the smallest steel furnace's power (docs/physics.md): an extra load below it is not one
)
EXTRA_HOURS = 3  # a melt campaign of 3+ heats lasts 3 hours or more
EXTRA_DIP_SHARE = (
    0.3  # a tap drops a furnace to holding power (5–20 % of rated): ≥ 0.3 of the block even blurred
)


def hour_means(kw: np.ndarray) -> np.ndarray:
    """(accounts, days × 24) mean kW of each clock hour, NaN where the hour has no reading (a 60-minute
    reading fills its four slots with its own mean, so this is the reading itself)."""
    n, n_slots = kw.shape
    quarters = kw.reshape(n, n_slots // 4, 4)
    valid = ~np.isnan(quarters)
    count = valid.sum(axis=2)
    total = np.where(valid, quarters, 0).sum(axis=2, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def coarse_features(kw: np.ndarray, dips: tuple[np.ndarray, ...] | None = None) -> dict:
    """Extra blocks on hourly means (from any sub-daily data; at 30/60 minutes single heats cannot be
    seen): days carrying 3+ hours at least EXTRA_MIN_KW above the account's usual level at the same hour
    (the median over its days), the block's power, how many such days are at night, and the account's
    ordinary hour-to-hour spread around that usual level (the median |hour − usual|). A furnace added on
    some nights to a site's ordinary load shows as exactly that, a step of about its rated power far
    above the site's own spread; a load that repeats every day does not. The per-day block power
    (`extra_day_kw`, 2-D) is compared with the registered furnaces in scoring."""
    n, n_slots = kw.shape
    n_days = n_slots // SLOTS_PER_DAY
    hourly = hour_means(kw).reshape(n, n_days, 24)
    usual = nan_median(hourly.transpose(0, 2, 1).reshape(n * 24, n_days)).reshape(n, 1, 24)
    with np.errstate(invalid="ignore"):
        deviation = hourly - usual
        spread = nan_median(np.abs(deviation).reshape(n, n_days * 24))
    excess = np.nan_to_num(deviation, nan=0.0).reshape(n, n_days * 24)
    run = np.minimum.reduce(
        [excess[:, k : excess.shape[1] - EXTRA_HOURS + 1 + k] for k in range(EXTRA_HOURS)]
    )
    run = np.concatenate([run, np.zeros((n, EXTRA_HOURS - 1))], axis=1).reshape(n, n_days, 24)
    block = run >= EXTRA_MIN_KW
    days_with = block.any(axis=2)
    hour = np.arange(24)
    night = block[:, :, (hour >= 21) | (hour < 4)].any(axis=2)  # blocks starting 21:00–04:00
    step = np.where(block, run, 0).max(axis=2)
    # 15-minute data: the block's dips (features.melt_cycles' candidates, spacing and plateau not required)
    # at least EXTRA_DIP_SHARE of the block's power deep — a furnace's block is broken at every tap (45–120
    # min apart, docs/physics.md); a storage boiler's or a heat-treatment soak's is not
    block_dips = np.zeros((n, n_days))
    if dips is not None and len(dips[0]):
        rows, slots, depth = dips
        covered = np.zeros((n, n_days * 24 + EXTRA_HOURS), bool)
        starts = block.reshape(n, n_days * 24)
        for k in range(EXTRA_HOURS):
            covered[:, k : k + n_days * 24] |= starts
        hour = slots // 4
        day = np.minimum(slots // SLOTS_PER_DAY, n_days - 1)
        inside = covered[rows, hour] & (depth >= EXTRA_DIP_SHARE * step[rows, day])
        np.add.at(block_dips, (rows[inside], day[inside]), 1)
    return {
        "extra_days": days_with.sum(axis=1).astype(np.float64),
        "extra_night_days": (days_with & night).sum(axis=1).astype(np.float64),
        "extra_kw": step.max(axis=1, initial=0),
        "extra_kwh": np.where(days_with, step * EXTRA_HOURS, 0).sum(axis=1),
        "extra_noise_kw": np.nan_to_num(spread),
        "extra_day_kw": step,
        "extra_day_night": days_with & night,
        "extra_day_dips": block_dips,
    }


ANOMALY_SHARE = 0.5  # a session day (with the next) carries ≥ half its melt energy above a usual day


def energy_anomaly(day_kwh: np.ndarray, melt_kwh: np.ndarray) -> np.ndarray:
    """(accounts, days): session days whose energy, with the next day's (a night shift runs past
    midnight), exceeds two usual days (the median) by at least ANOMALY_SHARE of the session's melt energy.
    A furnace adds its energy to whatever else the site uses; chance cycles in a site's ordinary load do
    not make its day heavier than usual."""
    usual = nan_median(day_kwh)[:, None]
    nxt = np.concatenate([day_kwh[:, 1:], np.full((len(day_kwh), 1), np.nan)], axis=1)
    with np.errstate(invalid="ignore"):
        pair = np.where(np.isnan(nxt), day_kwh - usual, day_kwh + nxt - 2 * usual)
        return (melt_kwh > 0) & (pair >= ANOMALY_SHARE * melt_kwh)


SUSTAINED_SLOTS = 16  # "sustained": a 4-hour mean, the shortest melt campaign worth a site's risk


def sustained_means(days: np.ndarray) -> np.ndarray:
    """(accounts, days): each day's highest mean kW over 4 hours (2-hour steps; gaps read as 0, so it is a
    lower bound). Set against the registered furnace kW it says how much melting power a site must have."""
    n, n_days, slots = days.shape
    half = SUSTAINED_SLOTS // 2
    blocks = days.reshape(n, n_days * (slots // half), half).mean(axis=2, dtype=np.float64)
    pairs = (blocks[:, :-1] + blocks[:, 1:]) / 2  # consecutive 2-hour blocks: 4-hour means
    pairs = np.concatenate([pairs, blocks[:, -1:]], axis=1).reshape(n, n_days, slots // half)
    return pairs.max(axis=2)


def finite64(values) -> np.ndarray:
    """np.nan_to_num(np.asarray(values, np.float64)) as a new array, without its ~25 µs of overhead per
    call when there is nothing to replace (the usual case)."""
    out = np.array(values, np.float64)
    return out if np.isfinite(out).all() else np.nan_to_num(out, copy=False)


def nan_median(a: np.ndarray) -> np.ndarray:
    """Row medians ignoring NaN (NaN sorts last), cheap on small (accounts, days) arrays."""
    ordered = np.sort(a, axis=1)
    valid = (~np.isnan(a)).sum(axis=1)
    lo = np.maximum(valid - 1, 0) // 2
    hi = np.maximum(valid, 1) // 2
    pick = lambda i: np.take_along_axis(ordered, i[:, None], axis=1)[:, 0]  # noqa: E731
    return np.where(valid > 0, (pick(lo) + pick(hi)) / 2, np.nan)


def melt_cycles(kw: np.ndarray, base: np.ndarray) -> dict:
    """Every candidate dip (sparse, ordered by account then time) with the cycle it closes: spacing from
    the previous dip, whether it is regular (furnace-like), and the chain it belongs to."""
    from analytics import kernels  # numba: imported on first use, not by every `import analytics`

    # The dips (exactly `dips`) and the cycle each closes with the previous one (exactly `regular_cycles`,
    # from running sums along time of |Δ|, gaps and energy): one compiled pass per account (kernels.scan).
    rows, slots, width, depth, shoulder, bottom, side, spacing, regular, level, gaps_at, cum_kw = (
        kernels.scan(kw, base, DIP_LIMITS, CYCLE_LIMITS)
    )
    prev = np.maximum(np.arange(len(rows)) - 1, 0)
    # A session groups the regular cycles of one furnace: each within a long break (or one irregular
    # cycle — a crane wait, a lining check) of the previous one, at a similar period and the same
    # plateau level. Cycles = regular cycles in the session so far.
    at_floor = (side > 0) & (bottom - base[rows] <= HOLDING_SHARE * depth)
    reg = np.flatnonzero(regular)
    k = np.arange(len(reg))
    kp = np.maximum(k - 1, 0)
    r_rows, r_slots, r_level, r_spacing = rows[reg], slots[reg], level[reg], spacing[reg]
    with np.errstate(all="ignore"):
        level_shift = np.abs(r_level - r_level[kp]) / np.maximum(r_level - base[r_rows], 1e-3)
    linked = (
        (k > 0)
        & (r_rows == r_rows[kp])
        & (r_slots - r_slots[kp] <= r_spacing + SESSION_BREAK_SLOTS)
        & (  # what lies between is one long break, or a meter gap — not an irregular heat
            (slots[prev[reg]] - r_slots[kp] <= LONG_BREAK_SLOTS) | (gaps_at[prev[reg]] != gaps_at[reg[kp]])
        )
        & ~at_floor[prev[reg]]  # a rise from the floor opens a new session …
        & ~at_floor[reg[kp]]  # … and a fall to it closes one (holding power during a wait does not)
        & (np.abs(r_spacing - r_spacing[kp]) <= SPACING_JITTER)
        & (level_shift <= LEVEL_JITTER)
    )
    group_start = np.maximum.accumulate(np.where(linked, -1, k)) if len(reg) else k
    # A furnace session stands out of its surroundings: its plateau is about one furnace power above the
    # level before its first heat or after its last (the floor, or whatever else runs). A noisy mid-level
    # load (compressors on load/unload) that happens to show a few dips has no such step around them.
    stands_out = session_contrast(
        kw, cum_kw, r_rows, slots[prev[reg]], r_slots, r_level, depth[reg], group_start
    )
    r_cycles = np.where(stands_out[group_start], k - group_start + 1, 0)
    idx = np.arange(len(rows))
    chain_start = idx.copy()
    chain_start[reg] = reg[group_start]
    cycles = np.zeros(len(rows), np.int64)
    cycles[reg] = r_cycles
    return {
        "rows": rows, "slots": slots, "width": width, "depth": depth, "shoulder": shoulder, "prev": prev,
        "spacing": spacing, "regular": regular, "cycles": cycles, "chain_start": chain_start, "cum_kw": cum_kw,
        "reg": reg, "group_start": group_start,  # the regular dips, and each one's chain start among them
    }  # fmt: skip


DIP_LIMITS = {"min_kw": DIP_MIN_KW, "min_share": DIP_MIN_SHARE}
CYCLE_LIMITS = {
    "spacing_min": SPACING_MIN, "spacing_max": SPACING_MAX, "plateau_min": PLATEAU_MIN_SLOTS,
    "roughness_max": ROUGHNESS_MAX, "lift": PLATEAU_LIFT, "fill": PLATEAU_FILL, "ratio_max": DEPTH_RATIO_MAX,
}  # fmt: skip


def session_contrast(kw, cum_kw, rows, opening, closing, level, depth, group) -> np.ndarray:
    """Per session (indexed by its first regular cycle): does its mean plateau level exceed the lowest
    hour-mean in the two hours before its first dip or after its last by ≥ SESSION_STEP × its mean dip
    depth? Gaps read as 0 (lenient)."""
    m = len(rows)
    out = np.zeros(m, bool)
    if m == 0:
        return out
    last = kw.shape[1] - 1
    total = grouped(np.add, group, level, m, 0.0)
    count = grouped(np.add, group, np.ones(m), m, 0.0)
    deficit = grouped(np.add, group, depth, m, 0.0)
    first = grouped(np.minimum, group, opening, m, last, np.int64)
    end = grouped(np.maximum, group, closing, m, 0, np.int64)

    def hour_mean(lo):  # mean over [lo, lo + 3], clipped to the matrix
        lo = np.clip(lo, 0, last)
        hi = np.clip(lo + 3, 0, last)
        below = np.where(lo > 0, cum_kw[rows, np.maximum(lo - 1, 0)], 0.0)
        return (cum_kw[rows, hi] - below) / (hi - lo + 1)

    outside = np.minimum.reduce(
        [hour_mean(first - 4), hour_mean(first - 8), hour_mean(end + 1), hour_mean(end + 5)]
    )
    with np.errstate(all="ignore"):
        out = total / np.maximum(count, 1) - outside >= SESSION_STEP * deficit / np.maximum(count, 1)
    return out


def grouped(reducer, index, values, size, fill, dtype=np.float64) -> np.ndarray:
    """`out = np.full(size, fill, dtype); reducer.at(out, index, values)` for a nondecreasing index (runs
    of equal indices), without ufunc.at's per-element overhead: sums by np.bincount (float64, in order,
    as add.at adds), minima and maxima by reduceat over the runs."""
    out = np.full(size, fill, dtype)
    if len(index) == 0:
        return out
    if reducer is np.add:
        if fill == 0:
            return np.bincount(index, weights=values, minlength=size).astype(dtype, copy=False)
        np.add.at(out, index, values)
        return out
    starts = np.flatnonzero(np.diff(index, prepend=index[0] - 1))
    out[index[starts]] = reducer(out[index[starts]], reducer.reduceat(np.asarray(values, dtype), starts))
    return out


def melt_sessions(kw: np.ndarray, base: np.ndarray, day_min: np.ndarray) -> tuple[dict, dict]:
    """Chains of regular dips (melt sessions), summarised per day the chain started (a night shift that
    runs past midnight belongs to the evening it began): cycles, period, power, energy, night share."""
    n, n_slots = kw.shape
    n_days = n_slots // SLOTS_PER_DAY
    c = melt_cycles(kw, base)
    # Only regular dips count towards sessions and days: work on them alone (chain starts are regular).
    reg, chain_start = c["reg"], c["group_start"]
    rows, slots, spacing, cycles, shoulder = (
        c[k][reg] for k in ("rows", "slots", "spacing", "cycles", "shoulder")
    )
    prev_slots, cum_kw = c["slots"][c["prev"][reg]], c["cum_kw"]

    midnight = slots[chain_start] // SLOTS_PER_DAY * SLOTS_PER_DAY
    day_of = rows * n_days + midnight // SLOTS_PER_DAY
    tod = slots % SLOTS_PER_DAY
    is_night = (tod >= NIGHT_START_SLOT) | (tod < NIGHT_END_SLOT)
    cycle_kwh = (
        cum_kw[rows, slots] - cum_kw[rows, prev_slots] - day_min.ravel()[day_of] * spacing
    ) * HOURS_PER_SLOT

    # a day's session figures come from the cycles of its sessions, not from stray cycles beside them
    group_size = grouped(np.maximum, chain_start, cycles, len(rows), 0, np.int64)
    session_dip = group_size[chain_start] >= MIN_SESSION_CYCLES
    in_session_day = np.zeros(n * n_days, bool)
    in_session_day[day_of[session_dip]] = True
    counted = np.where(in_session_day[day_of], session_dip, True)  # days without a session: all

    def per_day(values, reducer=np.add, fill=0.0, mask=counted):
        return grouped(reducer, day_of[mask], values[mask], n * n_days, fill).reshape(n, n_days)

    n_regular = per_day(np.ones(len(rows)))
    day_cycles = per_day(cycles, np.maximum, mask=slice(None))
    with np.errstate(all="ignore"):
        mean = lambda values: per_day(values.astype(np.float64)) / n_regular  # noqa: E731
        day = {
            "day_cycles": day_cycles,
            "day_period_min": mean(spacing) * 15,
            "day_furnace_kw": mean(shoulder) - day_min,  # plateau above the day's floor
            "day_cycle_kwh": mean(cycle_kwh),
            "day_night_share": mean(is_night),
        }
        # The day's longest session (the first of equals) for the reasons: its span in slots from the
        # midnight of its day — one cycle before its first regular dip (whose spacing is the first full
        # cycle) to one after its last — and its own night share. (Never the union of the day's
        # sessions: a day shift and an evening session running past midnight are two windows.)
        chain_cycles = group_size[chain_start]
        longest = (chain_cycles > 0) & (chain_cycles == day_cycles.ravel()[day_of])
        first_chain = grouped(
            np.minimum, day_of[longest], chain_start[longest], n * n_days, len(rows), np.int64
        )
        member = chain_start == first_chain[day_of]
        day["day_first_slot"] = per_day(
            slots[chain_start] - 2 * spacing[chain_start] - midnight, np.minimum, np.inf, mask=member
        )
        day["day_last_slot"] = per_day(slots + spacing - midnight, np.maximum, -np.inf, mask=member)
        day["day_session_night"] = per_day(is_night.astype(np.float64), mask=member) / per_day(
            np.ones(len(rows)), mask=member
        )
    is_session = day_cycles >= MIN_SESSION_CYCLES
    best = np.argmax(day_cycles, axis=1)
    at_best = lambda a: np.nan_to_num(np.take_along_axis(a, best[:, None], axis=1)[:, 0])  # noqa: E731
    in_session = lambda a: np.where(is_session, np.nan_to_num(a), 0)  # noqa: E731
    account = {
        "melt_cycles_max": day_cycles.max(axis=1, initial=0),
        "melt_sessions": is_session.sum(axis=1),
        "melt_night_sessions": (is_session & (day["day_night_share"] >= 0.5)).sum(axis=1),
        "melt_period_min": at_best(day["day_period_min"]),
        "melt_power_kw": in_session(day["day_furnace_kw"]).max(axis=1, initial=0),
        "melt_cycle_kwh": in_session(day["day_cycle_kwh"]).max(axis=1, initial=0),
        # per-day evidence (2-D) for the registry comparison, night by night, in scoring
        "melt_day_cycles": day_cycles,
        "melt_day_kw": in_session(day["day_furnace_kw"]),
        "melt_day_night": is_session & (day["day_night_share"] >= 0.5),
        # energy melted per session day, a lower bound: the longest session's cycles × energy per cycle
        "melt_day_kwh": in_session(day["day_cycle_kwh"]) * np.where(is_session, day_cycles, 0),
    }
    day["dips"] = (c["rows"], c["slots"], c["depth"])  # every candidate dip, for the extra blocks
    return account, day


def change_point(day_kwh: np.ndarray, min_days: int = 3) -> dict:
    """Best single shift in daily energy (days without data ignored): the split maximising
    |mean after − mean before| / pooled std."""
    if day_kwh.shape[1] < 2:  # a single day has no split
        zeros = np.zeros(len(day_kwh))
        return {
            "change_score": zeros,
            "change_day": zeros.astype(np.int64),
            "change_before_kwh": zeros,
            "change_after_kwh": zeros,
        }
    valid = ~np.isnan(day_kwh)
    e = np.where(valid, day_kwh, 0.0)
    c_n, c_s, c_ss = (np.cumsum(a, axis=1) for a in (valid, e, e * e))
    tot_n, tot_s, tot_ss = c_n[:, -1:], c_s[:, -1:], c_ss[:, -1:]
    n1, s1, ss1 = c_n[:, :-1], c_s[:, :-1], c_ss[:, :-1]
    n2, s2, ss2 = tot_n - n1, tot_s - s1, tot_ss - ss1
    with np.errstate(all="ignore"):
        m1, m2 = s1 / n1, s2 / n2
        var = (ss1 - n1 * m1**2 + ss2 - n2 * m2**2) / np.maximum(n1 + n2 - 2, 1)
        scale = np.sqrt(np.maximum(var, 0)) + 0.05 * np.abs(np.maximum(m1, m2)) + 1.0
        t = np.abs(m2 - m1) / scale
    t = np.where((n1 >= min_days) & (n2 >= min_days) & valid[:, 1:], t, 0)
    split = np.argmax(t, axis=1)
    at = lambda a: np.take_along_axis(a, split[:, None], axis=1)[:, 0]  # noqa: E731
    return {
        "change_score": t.max(axis=1),
        "change_day": split + 1,
        "change_before_kwh": np.nan_to_num(at(m1)),
        "change_after_kwh": np.nan_to_num(at(m2)),
    }


def standby_use(kw: np.ndarray, standby_kw: np.ndarray, check: np.ndarray) -> dict:
    """Days with an hour or more above standby, and their energy, for the accounts in `check`."""
    n = kw.shape[0]
    days_alive = np.zeros((n, kw.shape[1] // SLOTS_PER_DAY), bool)
    rows = np.flatnonzero(check)
    if len(rows):
        above = kw[rows] > standby_kw[rows, None]
        run = above[:, : above.shape[1] - STANDBY_RUN_SLOTS + 1].copy()
        for k in range(1, STANDBY_RUN_SLOTS):
            run &= above[:, k : above.shape[1] - STANDBY_RUN_SLOTS + 1 + k]
        sustained = np.zeros_like(above)
        for k in range(STANDBY_RUN_SLOTS):  # mark every slot of a qualifying run
            sustained[:, k : k + run.shape[1]] |= run
        days_alive[rows] = sustained.reshape(len(rows), -1, SLOTS_PER_DAY).any(axis=2)
        excess = np.where(sustained, kw[rows] - standby_kw[rows, None], 0)
        alive_kwh = np.zeros(n)
        alive_kwh[rows] = np.nansum(excess, axis=1) * HOURS_PER_SLOT
    else:
        alive_kwh = np.zeros(n)
    return {"standby_days": days_alive.sum(axis=1), "standby_excess_kwh": alive_kwh, "day_alive": days_alive}


def rolling_median(day_kwh: np.ndarray, half: int) -> np.ndarray:
    """(accounts, days): the median of each day's ±half days (NaN ignored, clipped at the window's ends)."""
    n, n_days = day_kwh.shape
    padded = np.pad(day_kwh, ((0, 0), (half, half)), constant_values=np.nan)
    windows = np.lib.stride_tricks.sliding_window_view(padded, 2 * half + 1, axis=1)
    return nan_median(windows.reshape(n * n_days, 2 * half + 1)).reshape(n, n_days)


def daily_features(
    day_kwh: np.ndarray, standby_kw: np.ndarray, check_standby: np.ndarray
) -> tuple[dict, dict]:
    """The reduced set for daily kWh only: energy, change points, days alive at dormant sites and
    burst days (a night of melting shows as a day of several times the usual energy)."""
    n, n_days = day_kwh.shape
    valid = ~np.isnan(day_kwh)
    # Without intervals an hour above standby cannot be seen. A day whose mean power exceeds the standby
    # ceiling (more than 24 standby-hours of energy) must have run above it; so must a day carrying 6
    # standby-hours more than the site's own usual day (a dormant site's lights use the same every day).
    usual = nan_median(day_kwh)[:, None]
    alive_kwh = np.fmin(standby_kw[:, None] * 24, usual + standby_kw[:, None] * DAILY_STANDBY_HOURS)
    alive = check_standby[:, None] & (day_kwh > alive_kwh)
    with np.errstate(all="ignore"):
        mean_kwh = np.nanmean(np.where(valid, day_kwh, np.nan), axis=1)
        max_kwh = np.fmax.reduce(day_kwh, axis=1)
        # a burst: a day of several times the usual energy of the fortnight around it (a night or a few of
        # melting stand out of it; a season of processing, weeks long, is its own usual)
        local = rolling_median(day_kwh, BURST_WINDOW_DAYS)
        burst = day_kwh >= 3 * np.maximum(local, 0) + BURST_MIN_KWH
        bursts = burst.sum(axis=1)
        burst_kwh = np.where(burst, day_kwh - local, 0)
        excess = np.where(alive, day_kwh - alive_kwh, 0).sum(axis=1)
    feats = dict.fromkeys(
        ("base_kw", "night_share", "melt_cycles_max", "melt_sessions", "melt_night_sessions",
         "melt_period_min", "melt_power_kw", "melt_cycle_kwh"),
        np.zeros(n),
    )  # fmt: skip
    feats |= {
        "sustained_kw": np.maximum(
            np.nan_to_num(max_kwh) / 24 - np.nan_to_num(np.fmin.reduce(day_kwh, axis=1)) / 24, 0
        ),
        "day_sustained_kw": np.nan_to_num(day_kwh) / 24,  # the day's mean: a lower bound of any 4-hour mean
        "days": valid.sum(axis=1),
        "coverage": valid.sum(axis=1) / np.maximum(n_days, 1),
        "mean_kw": mean_kwh / 24,
        "peak_kw": max_kwh / 24,  # a lower bound: the mean of the heaviest day
        "max_day_kwh": max_kwh,
        "burst_days": bursts,
        "burst_day_kwh": burst_kwh,
        "standby_days": alive.sum(axis=1),
        "standby_excess_kwh": excess,
        **change_point(day_kwh),
    }
    details = {"day_kwh": day_kwh, "day_alive": alive}
    return {k: finite64(v) for k, v in feats.items()}, details
