"""From a site's true 1-minute load to what the collection system delivers: the meter's clock (offsets,
drift, corrections), interval averaging, meter noise and resolution, missing readings, lost days, zero
fills; and the daily register readings."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analytics.independent.timebase import MIN_PER_DAY, Timebase

STANDARD_KVA = (
    30, 50, 80, 100, 125, 160, 200, 250, 315, 400, 500, 630, 800, 1000, 1250, 1600, 2000, 2500, 3150, 4000,
    5000, 6300, 8000, 10000, 12500, 16000, 20000, 25000, 31500, 40000,
)  # fmt: skip


def contract_for(peak_kw: float, utilisation: float) -> int:
    """The smallest standard transformer / contracted capacity (kVA) for a peak at ``utilisation`` of it
    (power factor 0.92)."""
    need = peak_kw / 0.92 / max(utilisation, 0.05)
    for kva in STANDARD_KVA:
        if kva >= need:
            return kva
    return STANDARD_KVA[-1]


def multiplier(kva: float) -> float:
    """CT (× PT) ratio of the metering: low-voltage sites up to 630 kVA through current transformers, larger
    sites metered at 10 kV (PT 10000/100)."""
    if kva <= 630:
        amps = kva / (np.sqrt(3) * 0.4)
        ct = next(c for c in (50, 75, 100, 150, 200, 300, 400, 600, 800, 1000, 1500) if c >= amps)
        return ct / 5
    amps = kva / (np.sqrt(3) * 10)
    ct = next((c for c in (10, 15, 20, 30, 40, 50, 75, 100, 150, 200, 300, 400) if c >= amps), 600)
    return ct / 5 * 100


@dataclass(frozen=True)
class MeterProfile:
    offset: np.ndarray  # minutes the meter clock is ahead of true time, per true minute
    noise: float
    resolution_kw: float
    miss_rate: float
    bursts_per_month: float
    lost_day_rate: float
    zero_runs: int


def random_meter(rng: np.random.Generator, tb: Timebase, interval: int, kva: float) -> MeterProfile:
    n = tb.n_min
    offset = np.zeros(n)
    u = rng.random()
    if u < 0.06:  # whole-interval offsets: interval-end labelling, an hour off, a UTC clock
        offset[:] = float(rng.choice([interval, -interval, 60, -60, -480]))
    elif u < 0.13:  # drift of a few minutes a month, corrected on a random day
        rate = rng.uniform(-8, 8) / (tb.days * MIN_PER_DAY)
        fix = int(rng.integers(0, n))
        t = np.arange(n, dtype=float)
        offset[:] = np.where(t < fix, t * rate, (t - fix) * rate)
    elif u < 0.17:  # a clock corrected by a step
        step_at = int(rng.integers(0, n))
        offset[step_at:] = float(rng.choice([-60, -30, 30, 60, 120]))
    r = rng.random()
    miss = (
        rng.uniform(0, 0.005) if r < 0.6 else rng.uniform(0.005, 0.03) if r < 0.9 else rng.uniform(0.03, 0.15)
    )
    return MeterProfile(
        offset=offset,
        noise=float(rng.uniform(0.002, 0.01)),
        resolution_kw=0.001 * multiplier(kva),
        miss_rate=float(miss),
        bursts_per_month=float(rng.exponential(0.8)),
        lost_day_rate=float(rng.choice([0.0, 0.0, rng.uniform(0.005, 0.05)])),
        zero_runs=int(rng.integers(1, 4)) if rng.random() < 0.04 else 0,
    )


def _meter_minutes(tb: Timebase, meter: MeterProfile) -> np.ndarray:
    """The meter-clock minute (from the window start) of every true minute."""
    true = np.arange(tb.n_min) - tb.margin * MIN_PER_DAY
    return np.floor(true + meter.offset).astype(np.int64)


def read_intervals(
    rng: np.random.Generator,
    kw_min: np.ndarray,
    tb: Timebase,
    interval: int,
    meter: MeterProfile,
    outage_days: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Interval index (from the window start) and average kW of every reading that arrives."""
    n_bins = tb.days * MIN_PER_DAY // interval
    mm = _meter_minutes(tb, meter)
    keep = (mm >= 0) & (mm < n_bins * interval)
    bins = mm[keep] // interval
    total = np.bincount(bins, weights=kw_min[keep], minlength=n_bins)
    count = np.bincount(bins, minlength=n_bins)
    ok = count >= interval // 2  # a clock stepping forward leaves intervals without data
    kw = np.divide(total, np.maximum(count, 1))
    kw *= 1 + rng.normal(0, meter.noise, n_bins)
    kw = np.maximum(np.round(kw / meter.resolution_kw) * meter.resolution_kw, 0.0)
    ok &= rng.random(n_bins) >= meter.miss_rate
    per_day = MIN_PER_DAY // interval
    for _ in range(rng.poisson(meter.bursts_per_month * tb.days / 30)):
        s = int(rng.integers(0, n_bins))
        ok[s : s + int(rng.integers(60, 24 * 60) // interval)] = False
    lost = (rng.random(tb.days) < meter.lost_day_rate) | outage_days
    ok &= ~np.repeat(lost, per_day)
    for _ in range(meter.zero_runs):  # a concentrator that fills gaps with zeros
        s = int(rng.integers(0, n_bins))
        e = s + int(rng.integers(1, 9))
        kw[s:e] = 0.0
        ok[s:e] = True
    idx = np.flatnonzero(ok)
    return idx, kw[idx]


def read_daily(
    rng: np.random.Generator, kw_min: np.ndarray, tb: Timebase, meter: MeterProfile
) -> tuple[np.ndarray, np.ndarray]:
    """Day index and kWh of the daily frozen register readings (日冻结): more robust than the interval data,
    a day is missing 1 % of the time."""
    mm = _meter_minutes(tb, meter)
    keep = (mm >= 0) & (mm < tb.days * MIN_PER_DAY)
    kwh = np.bincount(mm[keep] // MIN_PER_DAY, weights=kw_min[keep], minlength=tb.days) / 60.0
    step = meter.resolution_kw * 10  # register resolution 0.01 kWh × multiplier
    kwh = np.round(kwh / step) * step
    ok = rng.random(tb.days) >= 0.01
    idx = np.flatnonzero(ok)
    return idx, kwh[idx]
