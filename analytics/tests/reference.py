"""The numpy definitions of what `analytics.kernels.scan` computes compiled: the candidate dips and the
cycle each closes with the previous dip, written as readable array code. Detection no longer runs them;
analytics/tests/test_kernels.py checks the kernel against them bit for bit."""

import numpy as np

from analytics.features import (
    DEPTH_RATIO_MAX,
    DIP_MIN_KW,
    DIP_MIN_SHARE,
    PLATEAU_FILL,
    PLATEAU_LIFT,
    PLATEAU_MIN_SLOTS,
    ROUGHNESS_MAX,
    SPACING_MAX,
    SPACING_MIN,
)
from analytics.kernels import EDGE_END, EDGE_START


def dips(kw: np.ndarray, base: np.ndarray):
    """Candidate melt dips: (row, slot, width, depth, shoulder, bottom, side) of every local
    drop-and-return and session edge.

    depth is the energy-equivalent deficit below the shoulders (for a two-interval dip both deficits are
    summed, so a tapping break that straddles a slot boundary counts as much as one inside a slot).

    Detection runs the same arithmetic compiled and fused with the running sums (`kernels.scan`)."""
    base = base.astype(kw.dtype)[:, None]
    padded = np.pad(kw, ((0, 0), (1, 2)), constant_values=np.nan)
    left, mid, right, right2 = (padded[:, i : i + kw.shape[1]] for i in range(4))
    shoulder1 = np.minimum(left, right)
    deficit1 = shoulder1 - mid
    shoulder2 = np.minimum(left, right2)
    deficit2 = 2 * shoulder2 - mid - right
    two_wide = (np.minimum(shoulder2 - mid, shoulder2 - right) >= 0.25 * deficit2) & (deficit2 > deficit1)
    depth = np.where(two_wide, deficit2, deficit1)
    shoulder = np.where(two_wide, shoulder2, shoulder1)
    threshold = np.maximum(DIP_MIN_KW, DIP_MIN_SHARE * (shoulder - base))
    candidate = depth >= threshold  # False wherever a NaN is involved
    scored = np.where(candidate, depth, 0)
    candidate[:, 1:] &= scored[:, 1:] >= scored[:, :-1]  # keep one dip per trough
    candidate[:, :-1] &= scored[:, :-1] > scored[:, 1:]
    # A session's first heat starts with a rise from the floor and its last ends with a fall to it: these
    # edges bound the first and last cycles like dips do (their depth is the full step).
    rise, fall = right - mid, left - mid
    starts = (rise >= np.maximum(DIP_MIN_KW, 0.5 * (right - base))) & (np.abs(left - mid) <= 0.2 * rise)
    ends = (fall >= np.maximum(DIP_MIN_KW, 0.5 * (left - base))) & (np.abs(right - mid) <= 0.2 * fall)
    edge = (starts | ends) & ~candidate
    rows, slots = np.nonzero(candidate | edge)
    pick = lambda a: a[rows, slots]  # noqa: E731
    # the rest only where there is a dip or an edge (sparse)
    is_edge, is_start = pick(edge), pick(starts)
    wide = pick(two_wide) & ~is_edge
    p_left, p_mid, p_right = pick(left), pick(mid), pick(right)
    high = np.where(is_start, p_right, p_left)  # the plateau side of an edge
    depth = np.where(is_edge, high - p_mid, pick(depth))
    shoulder = np.where(is_edge, high, pick(shoulder))
    bottom = np.where(wide, np.maximum(p_mid, p_right), p_mid)  # the dip's higher trough interval
    side = np.where(is_edge & is_start, EDGE_START, np.where(is_edge, EDGE_END, 0)).astype(np.int8)
    return rows, slots, 1 + wide, depth, shoulder, bottom, side


def regular_cycles(kw, rows, slots, width, depth, shoulder, bottom, cum_steps, cum_gaps, cum_kw):
    """(spacing, regular, level) of the cycle each dip closes with the previous one: is it furnace-like?

    Detection runs it inside `kernels.scan`, which skips the look-ups for dips that fail the spacing and
    plateau-length checks (its level is -inf there, and level only matters for regular cycles)."""
    n_slots = kw.shape[1]
    same = np.zeros(len(rows), bool)
    same[1:] = rows[1:] == rows[:-1]
    prev = np.maximum(np.arange(len(rows)) - 1, 0)
    spacing = slots - slots[prev]
    plateau_start = np.minimum(slots[prev] + width[prev], n_slots - 1)
    plateau_len = slots - plateau_start
    # A long plateau may begin or end in a slot the break only partly covers: judge its interior.
    trim = (plateau_len >= 4).astype(np.int64)
    with np.errstate(all="ignore"):
        plateau_steps = cum_steps[rows, slots - 1 - trim] - cum_steps[rows, plateau_start + trim]
        roughness = plateau_steps / np.maximum(plateau_len - 1 - 2 * trim, 1) / depth
        depth_ratio = np.maximum(depth / depth[prev], depth[prev] / depth)
    no_gap = cum_gaps[rows, slots] == cum_gaps[rows, slots[prev]]
    # The plateau between two dips is the furnace melting at (near) rated power: it stands well above
    # both troughs (the floor between two sessions, or between a compressor's on-blocks, does not), and
    # its level — the highest interval, i.e. one fully inside the melt — repeats from heat to heat.
    level = plateau_level(kw, rows, plateau_start, plateau_len)
    with np.errstate(all="ignore"):
        trough = np.maximum(bottom, bottom[prev])
        drop = np.minimum(shoulder - bottom, (shoulder - bottom)[prev])
        lift = level - trough
        plateau_mean = (cum_kw[rows, slots - 1 - trim] - cum_kw[rows, plateau_start + trim - 1]) / np.maximum(
            plateau_len - 2 * trim, 1
        )
        high = (lift >= PLATEAU_LIFT * drop) & (plateau_mean - trough >= PLATEAU_FILL * lift)
    regular = (
        high
        & same
        & (spacing >= SPACING_MIN)
        & (spacing <= SPACING_MAX)
        & (plateau_len >= PLATEAU_MIN_SLOTS)
        & (plateau_len >= width[prev])
        & (roughness <= ROUGHNESS_MAX)
        & (depth_ratio <= DEPTH_RATIO_MAX)
        & no_gap
    )
    return spacing, regular, level


def plateau_level(kw: np.ndarray, rows: np.ndarray, start: np.ndarray, length: np.ndarray) -> np.ndarray:
    """Highest reading on each plateau (sparse gather: plateaus of a regular cycle are ≤ 8 intervals)."""
    level = np.full(len(rows), -np.inf, kw.dtype)
    last = kw.shape[1] - 1
    for k in range(SPACING_MAX):
        value = kw[rows, np.minimum(start + k, last)]
        level = np.where((k < length) & (value == value), np.maximum(level, value), level)
    return level
