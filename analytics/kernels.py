"""Compiled (numba) per-account loops for the hot part of `features.py`.

`scan` finds the candidate melt dips, fused with the three running sums `features.melt_cycles` takes
differences of (|Δ|, gaps, energy): one pass over each account's row with the values in registers, instead of ~45
matrix-sized numpy temporaries and three matrix cumsums. It does the same arithmetic in the same order
and dtype (float32 for the dips, float64 accumulation for the sums, NaN propagating like np.minimum and
np.maximum), so its output is bit-identical to the numpy code — the readable array definitions are in
`analytics/tests/reference.py`, and `analytics/tests/test_kernels.py` checks the two agree.

Compiled on first use and cached next to this file (`cache=True`); `nogil=True` lets the local engine's
scoring threads run it in parallel. Pure functions on arrays, no I/O of their own.
"""

from __future__ import annotations

import numba
import numpy as np

from analytics.clean import SLOTS_PER_DAY

EDGE_START, EDGE_END = 1, 2  # a dip's `side`: a session's opening rise, its closing fall (0: a dip)


@numba.njit(inline="always")
def _min(a, b):  # np.minimum: NaN if either is (branch-free selects, so the loop vectorises)
    r = a if a < b else b
    return a if a != a else r


@numba.njit(inline="always")
def _max(a, b):  # np.maximum
    r = a if a > b else b
    return a if a != a else r


@numba.njit(nogil=True, cache=True)
def _scan(
    kw, base, nan, zero, two, min_kw, min_share, quarter, half, fifth,
    spacing_min, spacing_max, plateau_min, roughness_max, lift_share, fill_share, ratio_max,
):  # fmt: skip
    """Constants arrive typed as kw's dtype (numpy's scalar rules: a Python float in an expression with
    a float32 array stays float32)."""
    n, m = kw.shape
    cap = n * m
    rows = np.empty(cap, np.int64)
    slots = np.empty(cap, np.int64)
    width = np.empty(cap, np.int64)
    depth_out = np.empty(cap, kw.dtype)
    shoulder_out = np.empty(cap, kw.dtype)
    bottom_out = np.empty(cap, kw.dtype)
    side_out = np.empty(cap, np.int8)
    gaps_at = np.empty(cap, np.int32)
    spacing = np.empty(cap, np.int64)
    regular = np.zeros(cap, np.bool_)
    level = np.empty(cap, kw.dtype)
    cum_steps = np.empty(m, np.float64)  # one account's running sums at a time (they stay in cache) …
    cum_gaps = np.empty(m, np.int32)
    cum_kw = np.empty((n, m), np.float64)  # … but the energy's is kept: sessions look around themselves
    row = np.empty(m + 3, kw.dtype)  # NaN-padded like np.pad(kw, ((0, 0), (1, 2)))
    row[0] = row[m + 1] = row[m + 2] = nan
    scored = np.empty(m, kw.dtype)
    depth = np.empty(m, kw.dtype)
    shoulder = np.empty(m, kw.dtype)
    flags = np.empty(m, np.uint8)  # 1 candidate, 2 two-wide, 4 start edge, 8 end edge
    k = 0
    last = m - 1
    for i in range(n):
        b = base[i]
        k0 = k
        # running sums (np.cumsum accumulates sequentially, here in float64)
        acc_steps = 0.0
        acc_kw = 0.0
        gaps = 0
        for j in range(m):
            mid = kw[i, j]
            row[j + 1] = mid
            if j >= 1:
                step = abs(mid - kw[i, j - 1])
                if step == step:
                    acc_steps += np.float64(step)
            cum_steps[j] = acc_steps
            if mid != mid:
                gaps += 1
            else:
                acc_kw += np.float64(mid)
            cum_gaps[j] = gaps
            cum_kw[i, j] = acc_kw
        # every slot's dip (reference.dips element by element; straight-line selects: vectorised)
        for j in range(m):
            left, mid, right, right2 = row[j], row[j + 1], row[j + 2], row[j + 3]
            shoulder1 = _min(left, right)
            deficit1 = shoulder1 - mid
            shoulder2 = _min(left, right2)
            deficit2 = two * shoulder2 - mid - right
            two_wide = (_min(shoulder2 - mid, shoulder2 - right) >= quarter * deficit2) & (
                deficit2 > deficit1
            )
            d = deficit2 if two_wide else deficit1
            s = shoulder2 if two_wide else shoulder1
            candidate = d >= _max(min_kw, min_share * (s - b))
            rise = right - mid
            fall = left - mid
            starts = (rise >= _max(min_kw, half * (right - b))) & (abs(left - mid) <= fifth * rise)
            ends = (fall >= _max(min_kw, half * (left - b))) & (abs(right - mid) <= fifth * fall)
            scored[j] = d if candidate else zero
            depth[j] = d
            shoulder[j] = s
            flags[j] = (
                np.uint8(candidate)
                | (np.uint8(two_wide) << 1)
                | (np.uint8(starts) << 2)
                | (np.uint8(ends) << 3)
            )
        for j in range(m):
            f = flags[j]
            if f & 13 == 0:  # neither a candidate nor an edge
                continue
            candidate = (
                (f & 1) != 0
                and (j == 0 or scored[j] >= scored[j - 1])  # keep one dip per trough
                and (j == m - 1 or scored[j] > scored[j + 1])
            )
            is_start = (f & 4) != 0
            edge = (f & 12) != 0 and not candidate
            if not (candidate or edge):
                continue
            left, mid, right = row[j], row[j + 1], row[j + 2]
            wide = (f & 2) != 0 and not edge
            high = right if is_start else left
            rows[k] = i
            slots[k] = j
            width[k] = 1 + wide
            depth_out[k] = high - mid if edge else depth[j]
            shoulder_out[k] = high if edge else shoulder[j]
            bottom_out[k] = _max(mid, right) if wide else mid
            side_out[k] = (EDGE_START if is_start else EDGE_END) if edge else 0
            gaps_at[k] = cum_gaps[j]
            k += 1
        # the cycle each of this account's dips closes with the previous dip (reference.regular_cycles)
        for q in range(k0, k):
            p = q - 1 if q > 0 else 0
            slot = slots[q]
            spacing[q] = slot - slots[p]
            level[q] = -np.inf
            # the checks that need no look-up first: most dips fail them
            if q == k0 or spacing[q] < spacing_min or spacing[q] > spacing_max:
                continue
            start = min(slots[p] + width[p], last)
            length = slot - start
            if length < plateau_min or length < width[p]:
                continue
            lv = level[q]  # the plateau's highest reading (gaps skipped), -inf if none
            for t in range(min(length, spacing_max)):
                value = kw[i, min(start + t, last)]
                if value == value and value > lv:
                    lv = value
            level[q] = lv
            trim = 1 if length >= 4 else 0
            steps = cum_steps[slot - 1 - trim] - cum_steps[start + trim]
            roughness = steps / max(length - 1 - 2 * trim, 1) / depth_out[q]
            a, c = depth_out[q] / depth_out[p], depth_out[p] / depth_out[q]
            ratio = a if a > c else c
            no_gap = gaps_at[q] == gaps_at[p]
            trough = bottom_out[q] if bottom_out[q] > bottom_out[p] else bottom_out[p]
            a, c = shoulder_out[q] - bottom_out[q], shoulder_out[p] - bottom_out[p]
            drop = a if a < c else c
            lift = lv - trough
            mean = (cum_kw[i, slot - 1 - trim] - cum_kw[i, start + trim - 1]) / max(length - 2 * trim, 1)
            regular[q] = (
                lift >= lift_share * drop
                and mean - trough >= fill_share * lift
                and roughness <= roughness_max
                and ratio <= ratio_max
                and no_gap
            )
    return (
        rows[:k].copy(), slots[:k].copy(), width[:k].copy(), depth_out[:k].copy(), shoulder_out[:k].copy(),
        bottom_out[:k].copy(), side_out[:k].copy(), spacing[:k].copy(), regular[:k].copy(), level[:k].copy(),
        gaps_at[:k].copy(), cum_kw,
    )  # fmt: skip


def scan(kw: np.ndarray, base: np.ndarray, dip_limits: dict, cycle_limits: dict):
    """Every dip or session edge, as `dips` in analytics/tests/reference.py returns them — (rows, slots,
    width, depth, shoulder, bottom, side) — and the cycle each closes with the previous dip, as its
    `regular_cycles` computes it — (spacing, regular, level; level where the cheap checks passed, -inf elsewhere, and it
    only matters for regular cycles) — then gaps_at (int32: NaN readings of the account up to and
    including the dip's slot) and cum_kw (float64 (accounts, slots): energy up to and including each
    slot, NaN as 0). The running sums of |Δ| and gaps are kept per account only while it is scanned."""
    kw = np.ascontiguousarray(kw)
    t = kw.dtype.type
    d, c = dip_limits, cycle_limits
    return _scan(
        kw, base.astype(kw.dtype), t(np.nan), t(0), t(2), t(d["min_kw"]), t(d["min_share"]), t(0.25), t(0.5),
        t(0.2), int(c["spacing_min"]), int(c["spacing_max"]), int(c["plateau_min"]), float(c["roughness_max"]),
        t(c["lift"]), t(c["fill"]), t(c["ratio_max"]),
    )  # fmt: skip


@numba.njit(nogil=True, cache=True)
def _day_stats(kw, slots_per_day, big, nan, inf):
    n, m = kw.shape
    n_days = m // slots_per_day
    count = np.zeros((n, n_days), np.int64)
    low = np.empty((n, n_days), kw.dtype)
    high = np.empty((n, n_days), kw.dtype)
    zeroed = np.empty((n, m), kw.dtype)
    for i in range(n):
        for d in range(n_days):
            c = 0
            lo, hi = inf, -inf
            for j in range(d * slots_per_day, (d + 1) * slots_per_day):  # selects only, no branches
                v = kw[i, j]
                c += v == v
                lo = v if v < lo else lo  # a NaN never replaces
                hi = v if v > hi else hi
                z = big if v > big else (-big if v < -big else v)
                zeroed[i, j] = z if v == v else 0
            count[i, d] = c
            low[i, d] = lo if c else nan  # np.fmin / np.fmax: NaN only for a day without readings
            high[i, d] = hi if c else nan
    return count, low, high, zeroed


def day_stats(kw: np.ndarray):
    """Per account and day: readings (count), np.fmin and np.fmax over them (NaN for a day without
    any), and np.nan_to_num(kw) — the matrix reductions features.features starts with, in one pass."""
    kw = np.ascontiguousarray(kw)
    t = kw.dtype.type
    return _day_stats(kw, SLOTS_PER_DAY, t(np.finfo(kw.dtype).max), t(np.nan), t(np.inf))


@numba.njit(nogil=True, cache=True)
def _is_grid(codes, ts_us, per, first_us, slot_us):
    for k in range(len(codes) // per):
        bad = 0
        for j in range(per):  # integer ORs, no early exit inside an account: the loop vectorises
            bad |= (np.int64(codes[k * per + j]) - k) | (ts_us[k * per + j] - (first_us + j * slot_us))
        if bad:
            return False
    return True


def is_grid(codes: np.ndarray, ts_us: np.ndarray, per: int, first_us: int, slot_us: int) -> bool:
    """Account k's readings are rows k·per … (k+1)·per − 1, at first_us + j·slot_us in order: what
    clean._regular_grid checked with whole-array comparisons (codes in runs of per, 0, 1, 2, …)."""
    return bool(_is_grid(codes, ts_us, per, first_us, slot_us))


@numba.njit(nogil=True, cache=True)
def _grid_clean(kw, limit, body, nan, zero):
    n, per = kw.shape
    missing = np.zeros(n, np.int64)
    absurd = np.zeros(n, np.int64)
    negative = np.zeros(n, np.int64)
    for i in range(n):
        lim = limit[i]
        a = b = c = 0
        for j in range(per):  # selects only, no branches
            v = kw[i, j]
            c += v < 0
            a += v != v
            b += v > lim
            r = v if v > zero else zero  # np.maximum(v, 0): -0.0 becomes 0.0 …
            r = v if v != v else r  # … and NaN stays NaN
            body[i, j] = nan if v > lim else r
        missing[i], absurd[i], negative[i] = a, b, c
    return missing, absurd, negative


def grid_clean(kw: np.ndarray, limit_kw: np.ndarray, body: np.ndarray):
    """body[:] = np.maximum(kw, 0) with readings above the account's limit set to NaN; returns per
    account the counts of NaN readings, of readings above the limit and of negative ones."""
    t = kw.dtype.type
    return _grid_clean(kw, limit_kw, body, t(np.nan), t(0))
