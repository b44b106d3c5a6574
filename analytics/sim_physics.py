"""Physical and calendar building blocks of the load simulator (pure numpy/polars, no Django).

Time is measured in hours from the first midnight of the simulated period; a series has one mean kW
value per 15-minute interval. Sources for the furnace numbers are listed in docs/simulator.md.
"""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

STEPS_PER_DAY = 96
STEP_H = 0.25
# Standard distribution-transformer ratings (kVA) a contracted capacity is normally one of (GB/T 6451).
TRANSFORMER_KVA = np.array(
    [
        30,
        50,
        63,
        80,
        100,
        125,
        160,
        200,
        250,
        315,
        400,
        500,
        630,
        800,
        1000,
        1250,
        1600,
        2000,
        2500,
        3150,
        4000,
        5000,
        6300,
        8000,
        10000,
        12500,
        16000,
        20000,
        25000,
        31500,
        40000,
        50000,
        63000,
    ]
)


@dataclass(frozen=True)
class Calendar:
    start: dt.date
    days: int

    @property
    def steps(self) -> int:
        return self.days * STEPS_PER_DAY

    @property
    def weekday(self) -> np.ndarray:
        """(days,) 0 = Monday."""
        return (self.start.weekday() + np.arange(self.days)) % 7

    @property
    def hour(self) -> np.ndarray:
        """(steps,) clock hour at each interval start."""
        return np.tile(np.arange(STEPS_PER_DAY) * STEP_H, self.days)


def log_uniform(rng: np.random.Generator, lo: float, hi: float, size) -> np.ndarray:
    return np.exp(rng.uniform(np.log(lo), np.log(hi), size))


def working_days(
    rng: np.random.Generator,
    cal: Calendar,
    n: int,
    p_saturday: float,
    p_sunday: float,
    p_day_off: float = 0.03,
) -> np.ndarray:
    """(n, days) bool: weekdays, Saturdays/Sundays for sites that work them, minus random days off."""
    works_sat = rng.random((n, 1)) < p_saturday
    works_sun = rng.random((n, 1)) < p_sunday
    wd = cal.weekday[None, :]
    on = (wd < 5) | ((wd == 5) & works_sat) | ((wd == 6) & works_sun)
    return on & (rng.random((n, cal.days)) >= p_day_off)


def daily_times(
    rng: np.random.Generator, days: int, base_start_h, base_length_h, active, jitter_h: float = 0.25
) -> tuple[np.ndarray, np.ndarray]:
    """Per-day (start, length) in hours, (n, days) each: per-account base values with day-to-day jitter;
    length 0 on inactive days. A start of 24 or more means after midnight."""
    base_start = np.asarray(base_start_h, float).reshape(-1, 1)
    base_length = np.asarray(base_length_h, float).reshape(-1, 1)
    n = max(len(base_start), len(base_length))
    start = np.clip(base_start + rng.normal(0, jitter_h, (n, days)), 0, 30)
    length = np.clip(base_length + rng.normal(0, 2 * jitter_h, (n, days)), 0.25, 16) * active
    return start, length


def daily_window(start_h: np.ndarray, length_h: np.ndarray) -> np.ndarray:
    """(n, steps) fraction of each 15-min interval covered by the daily window [start, start + length)
    of its own day or of the day before (windows may cross midnight). Arguments broadcast to (n, days)."""
    start_h, length_h = np.broadcast_arrays(start_h, length_h)
    n, days = start_h.shape
    steps = days * STEPS_PER_DAY
    t = np.arange(steps) * STEP_H
    a = np.arange(days) * 24 + start_h
    b = a + length_h
    cover = np.zeros((n, steps))
    for back in (0, 1):
        day = np.arange(steps) // STEPS_PER_DAY - back
        d = np.clip(day, 0, None)
        overlap = np.minimum(t + STEP_H, b[:, d]) - np.maximum(t, a[:, d])
        cover += np.where(day >= 0, np.clip(overlap, 0, None), 0)
    return np.minimum(cover / STEP_H, 1.0)


def ar1_noise(rng: np.random.Generator, n: int, steps: int, sd, rho: float = 0.7) -> np.ndarray:
    """(n, steps) stationary AR(1) noise with per-account standard deviation `sd` (scalar or (n,))."""
    shocks = rng.normal(0, 1, (n, steps)) * np.sqrt(1 - rho**2)
    out = np.empty((n, steps))
    out[:, 0] = rng.normal(0, 1, n)
    for k in range(1, steps):
        out[:, k] = rho * out[:, k - 1] + shocks[:, k]
    return out * np.reshape(sd, (-1, 1))


def random_runs(rng: np.random.Generator, shape: tuple[int, int], rate, mean_len: float) -> np.ndarray:
    """Bool mask of runs (geometric length, mean `mean_len`) covering about `rate` of each row."""
    rate = np.reshape(rate, (-1, 1))
    rows, cols = np.nonzero(rng.random(shape) < rate / mean_len)
    lengths = rng.geometric(1 / mean_len, len(rows))
    offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    rows, cols = np.repeat(rows, lengths), np.repeat(cols, lengths) + offsets
    mask = np.zeros(shape, bool)
    keep = cols < shape[1]
    mask[rows[keep], cols[keep]] = True
    return mask


def interval_mean_kw(start_h: np.ndarray, length_h: np.ndarray, kw: np.ndarray, steps: int) -> np.ndarray:
    """(steps,) exact mean kW per 15-min interval of non-overlapping constant-power segments, obtained by
    interpolating their cumulative energy at the interval edges."""
    if len(start_h) == 0:
        return np.zeros(steps)
    order = np.argsort(start_h, kind="stable")
    start, length, kw = start_h[order], length_h[order], kw[order]
    after = np.cumsum(kw * length)
    x = np.column_stack([start, start + length]).ravel()
    energy = np.column_stack([after - kw * length, after]).ravel()
    cumulative = np.interp(np.arange(steps + 1) * STEP_H, x, energy, left=0.0, right=energy[-1])
    return np.diff(cumulative) / STEP_H


@dataclass(frozen=True)
class Furnace:
    """A coreless induction furnace with its per-account operating habits."""

    capacity_t: float
    rated_kw: float
    kwh_per_t: float  # energy to melt one tonne of scrap including losses
    power_level: float  # mean share of rated power held while melting
    power_sd: float  # heat-to-heat spread of that share
    low_kw: float  # power while sampling, tapping and charging (0 = switched off)
    melt_share: float  # typical share of a tap-to-tap cycle spent melting
    aux_share: float  # cooling pumps / tower as a share of rated power

    @classmethod
    def random(
        cls, rng: np.random.Generator, capacity_t: float | None = None, rated_kw: float | None = None
    ) -> "Furnace":
        """A furnace of the given capacity or rated power, 500–1000 kW per tonne."""
        density = rng.uniform(500, 1000)
        capacity_t = rated_kw / density if capacity_t is None else capacity_t
        rated = round(capacity_t * density, -1)
        return cls(
            capacity_t=capacity_t,
            rated_kw=rated,
            kwh_per_t=rng.uniform(550, 650),
            power_level=rng.uniform(0.85, 0.98),
            power_sd=rng.uniform(0.025, 0.075),
            low_kw=rated * rng.uniform(0.03, 0.15) if rng.random() < 0.5 else 0.0,
            melt_share=rng.uniform(0.70, 0.85),
            aux_share=rng.uniform(0.03, 0.08),
        )


def melt_heats(
    rng: np.random.Generator, furnace: Furnace, shift_start_h: np.ndarray, shift_length_h: np.ndarray
) -> dict[str, np.ndarray]:
    """The heats of melting shifts (absolute start hours and lengths): back-to-back tap-to-tap cycles,
    each starting while its shift lasts. A heat = ramp (minutes, counted at half power) + melting at a
    jittered power until the charge's energy is in + 5–20 min at low power for sampling, tapping and
    charging (about the furnace's melt share of the cycle; now and then a longer wait)."""
    shifts = len(shift_start_h)
    per_shift = int(np.ceil(max(shift_length_h.max(initial=0), 0.1) / 0.4)) + 1
    size = (shifts, per_shift)
    charge = furnace.capacity_t * rng.uniform(0.85, 1.0, size)
    energy = charge * furnace.kwh_per_t * rng.normal(1, 0.03, size)
    power = furnace.rated_kw * np.clip(rng.normal(furnace.power_level, furnace.power_sd, size), 0.7, 1.0)
    ramp = rng.uniform(2, 6, size) / 60
    low_per_melt = (1 / furnace.melt_share - 1) * rng.uniform(0.8, 1.2, size)
    first_guess = (energy - power * ramp / 2) / (power + furnace.low_kw * low_per_melt)
    low = np.clip(first_guess * low_per_melt, 5 / 60, 20 / 60)
    low += (rng.random(size) < 0.08) * rng.uniform(10, 30, size) / 60  # crane wait, lining check
    melt = np.maximum((energy - power * ramp / 2 - furnace.low_kw * low) / power, 10 / 60)
    cycle = ramp + melt + low
    offset = np.cumsum(cycle, axis=1) - cycle
    keep = offset < shift_length_h[:, None]
    heats = {
        "shift": np.broadcast_to(np.arange(shifts)[:, None], size),
        "start_h": shift_start_h[:, None] + offset,
        "ramp_h": ramp,
        "melt_h": melt,
        "low_h": low,
        "power_kw": power,
        "charge_t": charge,
        "energy_kwh": power * (ramp / 2 + melt) + furnace.low_kw * low,
    }
    return {k: v[keep] for k, v in heats.items()}


def furnace_kw(
    rng: np.random.Generator,
    furnace: Furnace,
    shift_start_h: np.ndarray,
    shift_length_h: np.ndarray,
    steps: int,
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """(steps,) mean kW of a furnace and its cooling auxiliaries over the given shifts, and its heats.
    Shifts must be far enough apart that the last heat of one ends before the next begins."""
    on = shift_length_h > 0
    heats = melt_heats(rng, furnace, shift_start_h[on], shift_length_h[on])
    s, r, m, lo, p = (heats[k] for k in ("start_h", "ramp_h", "melt_h", "low_h", "power_kw"))
    kw = interval_mean_kw(
        np.concatenate([s, s + r, s + r + m]),
        np.concatenate([r, m, lo]),
        np.concatenate([p / 2, p, np.full(len(s), furnace.low_kw)]),
        steps,
    )
    if len(s):  # pumps run from just before the first heat until a while after the last tap
        first = np.full(on.sum(), np.inf)
        last = np.zeros(on.sum())
        np.minimum.at(first, heats["shift"], s)
        np.maximum.at(last, heats["shift"], s + r + m + lo)
        start = first - 0.25
        length = last - start + rng.uniform(0.5, 1.5, len(first))
        kw += interval_mean_kw(
            start, length, np.full(len(first), furnace.aux_share * furnace.rated_kw), steps
        )
    return kw, heats


def contracted_kva(rng: np.random.Generator, sized_for_kw: np.ndarray) -> np.ndarray:
    """Transformer rating chosen with headroom over the load it was sized for (power factor ~0.9)."""
    need = sized_for_kw / 0.9 * rng.uniform(1.05, 1.8, len(sized_for_kw))
    return TRANSFORMER_KVA[np.minimum(np.searchsorted(TRANSFORMER_KVA, need), len(TRANSFORMER_KVA) - 1)]


def load_real_kw(path: str | Path) -> np.ndarray:
    """Mean kW per 15-min interval, in time order, of the UCI Daewoo steel plant file (`date` is the
    interval end, DD/MM/YYYY H:MM, a day's 0:00 row being the next day's midnight; kW = 4 × Usage_kWh)."""
    df = pl.read_csv(path, columns=["date", "Usage_kWh"], infer_schema_length=0)
    end = pl.col("date").str.strptime(pl.Datetime, "%d/%m/%Y %H:%M")
    midnight = (end.dt.hour() == 0) & (end.dt.minute() == 0)
    df = (
        df.select(
            start=end
            + pl.when(midnight).then(pl.duration(days=1)).otherwise(pl.duration())
            - pl.duration(minutes=15),
            kw=pl.col("Usage_kWh").cast(pl.Float64) * 4,
        )
        .unique("start")
        .sort("start")
    )
    grid = pl.DataFrame({"start": pl.datetime_range(df["start"][0], df["start"][-1], "15m", eager=True)})
    return grid.join(df, on="start", how="left")["kw"].fill_null(strategy="forward").to_numpy()
