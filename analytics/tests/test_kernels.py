"""The compiled scan (analytics/kernels.py) is bit-identical to the numpy definitions in reference.py."""

import numpy as np
import pytest

from analytics import features, kernels
from analytics.tests import reference


def numpy_scan(kw, base):
    """reference.dips and the running sums melt_cycles took before the kernel, as numpy wrote them."""
    n, n_slots = kw.shape
    steps = np.abs(np.diff(kw, axis=1))
    cum_steps = np.zeros((n, n_slots), np.float64)
    np.cumsum(np.nan_to_num(steps), axis=1, out=cum_steps[:, 1:])
    cum_gaps = np.cumsum(np.isnan(kw), axis=1, dtype=np.int32)
    cum_kw = np.cumsum(np.nan_to_num(kw), axis=1, dtype=np.float64)
    return (*reference.dips(kw, base), cum_steps, cum_gaps, cum_kw)


def matrices(rng, dtype):
    n, days = 40, 3
    slots = days * 96
    t = np.arange(slots)
    size = rng.lognormal(5, 1.2, (n, 1))
    noise = size * (0.1 + ((t % 96 >= 32) & (t % 96 < 72)) * rng.uniform(0.5, 1.0, (n, slots)))
    cycle = np.where(t % rng.integers(3, 9, (n, 1)) == 0, rng.uniform(0, 0.4, (n, 1)), 1.0)
    night = ((t % 96 >= 88) | (t % 96 < 20)) & (rng.random((n, 1)) < 0.5)
    kw = noise + 4 * size * night * cycle
    kw[rng.random(kw.shape) < 0.03] = np.nan  # isolated gaps
    kw[3, 50:70] = np.nan  # a long one
    kw[4] = np.nan  # an account without readings
    kw[5] = 0.0
    kw[6, ::7] = 0.0
    kw[7] = np.round(kw[7], -2)  # ties between neighbours
    kw[8, 10:20] = [500, 100, 500, 500, 100, 100, 500, 500, 0, 500]  # one- and two-wide dips, edges
    kw[9, :3] = [0, 500, 500]
    kw[9, -3:] = [500, 500, 0]
    kw = kw.astype(dtype)
    with np.errstate(all="ignore"):
        base = features.nan_median(np.fmin.reduce(kw.reshape(n, days, 96), axis=2))
    return kw, base


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("seed", range(5))
def test_scan_matches_numpy_bit_for_bit(seed, dtype):
    kw, base = matrices(np.random.default_rng(seed), dtype)
    with np.errstate(all="ignore"):
        expected = numpy_scan(kw, base)
        rows, slots, width, depth, shoulder, bottom, side, cum_steps, cum_gaps, cum_kw = expected
        spacing, regular, level = reference.regular_cycles(
            kw, rows, slots, width, depth, shoulder, bottom, cum_steps, cum_gaps, cum_kw
        )
    got = kernels.scan(kw, base, features.DIP_LIMITS, features.CYCLE_LIMITS)
    assert len(rows) > 100 and regular.sum() > 10
    names = ("rows", "slots", "width", "depth", "shoulder", "bottom", "side", "spacing", "regular")
    for name, a, b in zip(names, (*expected[:7], spacing, regular), got[:9], strict=True):
        assert a.dtype == b.dtype, name
        np.testing.assert_array_equal(a, b, err_msg=name)
    assert level.dtype == got[9].dtype
    np.testing.assert_array_equal(level[regular], got[9][regular])  # level matters for regular cycles only
    np.testing.assert_array_equal(cum_gaps[rows, slots], got[10])
    assert cum_kw.dtype == got[11].dtype
    np.testing.assert_array_equal(cum_kw, got[11])


def test_scan_of_an_empty_matrix():
    got = kernels.scan(np.zeros((0, 96), np.float32), np.zeros(0), features.DIP_LIMITS, features.CYCLE_LIMITS)
    assert len(got[0]) == 0 and got[-1].shape == (0, 96)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_day_stats_match_numpy(dtype):
    kw, _ = matrices(np.random.default_rng(7), dtype)
    kw[10, 5] = np.inf
    kw[11, 7] = -np.inf
    kw[12, :96] = np.nan  # a day without readings
    count, low, high, zeroed = kernels.day_stats(kw)
    days = kw.reshape(len(kw), -1, 96)
    np.testing.assert_array_equal(count, (days == days).sum(axis=2))
    with np.errstate(all="ignore"):
        np.testing.assert_array_equal(low, np.fmin.reduce(days, axis=2))
        np.testing.assert_array_equal(high, np.fmax.reduce(days, axis=2))
    np.testing.assert_array_equal(zeroed, np.nan_to_num(kw))
    assert low.dtype == high.dtype == zeroed.dtype == kw.dtype and count.dtype == np.int64


def test_grid_clean_matches_numpy():
    rng = np.random.default_rng(3)
    kw = rng.uniform(-50, 300, (6, 200)).astype(np.float32)
    kw[rng.random(kw.shape) < 0.05] = np.nan
    kw[0, :3] = [-0.0, 0.0, 250.0]
    limit = np.array([200, 1e5, 100, 250, 50, 1e5], np.float32)
    body = np.empty_like(kw)
    missing, absurd, negative = kernels.grid_clean(kw, limit, body)
    expected = np.maximum(kw, 0)
    expected[kw > limit[:, None]] = np.nan
    np.testing.assert_array_equal(body, expected)
    assert not np.signbit(body[0, 0])  # np.maximum(-0.0, 0) is 0.0
    np.testing.assert_array_equal(missing, np.isnan(kw).sum(axis=1))
    np.testing.assert_array_equal(absurd, (kw > limit[:, None]).sum(axis=1))
    np.testing.assert_array_equal(negative, (kw < 0).sum(axis=1))


def test_is_grid():
    per, slot = 5, 900_000_000
    codes = np.repeat(np.arange(3, dtype=np.int32), per)
    ts = np.tile(1_000 * slot + np.arange(per, dtype=np.int64) * slot, 3)
    assert kernels.is_grid(codes, ts, per, int(ts[0]), slot)
    shifted = ts.copy()
    shifted[7] += slot
    assert not kernels.is_grid(codes, shifted, per, int(ts[0]), slot)
    swapped = codes.copy()
    swapped[[4, 5]] = swapped[[5, 4]]
    assert not kernels.is_grid(swapped, ts, per, int(ts[0]), slot)
    assert not kernels.is_grid(codes[::-1].copy(), ts, per, int(ts[0]), slot)


@pytest.mark.parametrize("reducer", [np.add, np.minimum, np.maximum])
def test_grouped_is_ufunc_at(reducer):
    rng = np.random.default_rng(5)
    index = np.sort(rng.integers(0, 50, 400))
    values = rng.uniform(-1e6, 1e6, 400).astype(np.float32)
    for fill in (0.0, -np.inf, np.inf, 7.0):
        expected = np.full(60, fill)
        reducer.at(expected, index, values)
        np.testing.assert_array_equal(features.grouped(reducer, index, values, 60, fill), expected)
    ints = rng.integers(0, 100, 400)
    expected = np.full(60, 5, np.int64)
    reducer.at(expected, index, ints)
    np.testing.assert_array_equal(features.grouped(reducer, index, ints, 60, 5, np.int64), expected)
    assert (features.grouped(reducer, index[:0], values[:0], 3, 1.0) == 1.0).all()
