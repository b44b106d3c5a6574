"""Hand-made loads for the tests, built minute by minute from the physics in docs/physics.md and then
averaged to 15-minute intervals as a meter would. Every function returns kW per minute for `days` days."""

from __future__ import annotations

import numpy as np

MINUTES_PER_DAY = 1440


def to_intervals(per_minute: np.ndarray) -> np.ndarray:
    return per_minute.reshape(-1, 15).mean(axis=1)


def induction_furnace(
    rng: np.random.Generator,
    days: int,
    rated_kw: float,
    nights: list[int],
    *,
    start_hour: float = 22.0,
    heats: int = 6,
    tap_to_tap_min: float = 70.0,
    break_min: float = 15.0,
) -> np.ndarray:
    """Coreless furnace campaigns: each heat is power near rated (±3 %) for the melt, then a break at
    holding power (~10 %) for tapping, slagging and charging; tap-to-tap varies ±10 % heat to heat."""
    load = np.zeros((days + 1) * MINUTES_PER_DAY)
    for day in nights:
        t = int(day * MINUTES_PER_DAY + start_hour * 60 + rng.integers(-20, 20))
        for _ in range(heats):
            cycle = int(tap_to_tap_min * rng.uniform(0.9, 1.1))
            pause = int(break_min * rng.uniform(0.8, 1.2))
            melt = slice(t, min(t + cycle - pause, len(load)))
            load[melt] = rated_kw * rng.uniform(0.97, 1.03, melt.stop - melt.start)
            load[melt.stop : min(t + cycle, len(load))] = 0.1 * rated_kw
            t += cycle
    return load[: days * MINUTES_PER_DAY]


def air_compressor(rng: np.random.Generator, days: int, rated_kw: float = 160.0) -> np.ndarray:
    """Load/unload control: a few minutes loaded (rated) then unloaded (~30 %), working hours 07–19."""
    load = np.zeros(days * MINUTES_PER_DAY)
    t = 0
    while t < len(load):
        on, off = rng.integers(2, 6), rng.integers(1, 5)
        load[t : t + on] = rated_kw
        load[t + on : t + on + off] = 0.3 * rated_kw
        t += on + off
    minute = np.arange(len(load)) % MINUTES_PER_DAY
    return np.where((minute >= 7 * 60) & (minute < 19 * 60), load, 0.05 * rated_kw)


def storage_boiler(rng: np.random.Generator, days: int, rated_kw: float = 1500.0) -> np.ndarray:
    """Electric heat-storage boiler on the valley tariff: flat at rated 23:00–07:00, tapering as the
    store fills in the last hour."""
    load = np.zeros((days + 1) * MINUTES_PER_DAY)
    for day in range(days):
        start = day * MINUTES_PER_DAY + 23 * 60 + int(rng.integers(0, 5))
        load[start : start + 7 * 60] = rated_kw
        load[start + 7 * 60 : start + 8 * 60] = np.linspace(rated_kw, 0.2 * rated_kw, 60)
    return load[: days * MINUTES_PER_DAY]


def heat_treatment(rng: np.random.Generator, days: int, rated_kw: float = 800.0) -> np.ndarray:
    """Batch heat treatment: 90 min heating at full power, then a 6-hour soak at ~35 % (smooth), twice a day."""
    load = np.zeros(days * MINUTES_PER_DAY)
    for day in range(days):
        for start_hour in (6, 16):
            t = day * MINUTES_PER_DAY + start_hour * 60 + int(rng.integers(0, 30))
            load[t : t + 90] = rated_kw
            soak = min(6 * 60, len(load) - t - 90)
            load[t + 90 : t + 90 + soak] = 0.35 * rated_kw + 10 * np.sin(np.arange(soak) / 40)
    return load


def rolling_mill(rng: np.random.Generator, days: int, rated_kw: float = 2000.0) -> np.ndarray:
    """Bar mill on day shift 08–20: a burst per billet (1–3 min near rated), 2–6 min apart, idle load
    between; lunch break; stands idle at night."""
    load = np.full(days * MINUTES_PER_DAY, 0.03 * rated_kw)
    for day in range(days):
        t = day * MINUTES_PER_DAY + 8 * 60
        end = day * MINUTES_PER_DAY + 20 * 60
        while t < end:
            burst = int(rng.integers(1, 4))
            if not (12 * 60 <= t % MINUTES_PER_DAY < 13 * 60):
                load[t : t + burst] = rated_kw * rng.uniform(0.6, 1.0)
                load[t + burst : t + burst + 3] = 0.25 * rated_kw
            t += burst + int(rng.integers(2, 7))
    return load


def machining_shop(rng: np.random.Generator, days: int, mean_kw: float = 300.0) -> np.ndarray:
    """Machine tools on day shift 08–18: a noisy plateau; a little lighting at night."""
    minute = np.arange(days * MINUTES_PER_DAY) % MINUTES_PER_DAY
    shift = (minute >= 8 * 60) & (minute < 18 * 60)
    return np.where(shift, mean_kw * rng.uniform(0.7, 1.3, len(minute)), 0.05 * mean_kw)


def compressor_station(
    rng: np.random.Generator, days: int, machines: int = 3, rated_kw: float = 110.0
) -> np.ndarray:
    """Screw compressors around the clock: each loads for 1–4 min and unloads (~30 % power) for 1–3 min,
    as air demand wanders; near saturation the station sits at a noisy high level with random dips."""
    load = np.zeros(days * MINUTES_PER_DAY)
    for _ in range(machines):
        t, demand = 0, 0.7
        while t < len(load):
            demand = float(np.clip(demand + rng.normal(0, 0.05), 0.3, 0.98))
            on = int(rng.integers(1, 5))
            off = max(1, int(round(on * (1 - demand) / demand * rng.uniform(0.5, 1.5))))
            load[t : t + on] += rated_kw
            load[t + on : t + on + off] += 0.3 * rated_kw
            t += on + off
    return load


def demand_switched_compressor(rng: np.random.Generator, days: int, rated_kw: float = 150.0) -> np.ndarray:
    """A compressor started and stopped by a receiver's pressure switch: runs of 10–60 min, stops of
    10–90 min, all day — at 15 minutes, blocks of one to four intervals at one level with gaps at zero."""
    load = np.zeros(days * MINUTES_PER_DAY)
    t = 0
    while t < len(load):
        on, off = int(rng.integers(10, 60)), int(rng.integers(10, 90))
        load[t : t + on] = rated_kw * rng.uniform(0.97, 1.03)
        t += on + off
    return load
