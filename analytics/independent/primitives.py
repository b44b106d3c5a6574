"""Small building blocks on the 1-minute grid: smooth noise, on/off processes, daily shift masks, ramps."""

from __future__ import annotations

import numpy as np

from analytics.independent.timebase import MIN_PER_DAY


def smooth_noise(rng: np.random.Generator, n: int, sigma: float, step: int) -> np.ndarray:
    """Gaussian noise of standard deviation ``sigma`` that varies on a time scale of ``step`` minutes
    (knots every ``step`` minutes, linearly interpolated)."""
    step = max(1, int(step))
    knots = rng.normal(0.0, sigma, n // step + 2)
    return np.interp(np.arange(n) / step, np.arange(len(knots)), knots)


def on_off(
    rng: np.random.Generator, n: int, mean_on: float, mean_off: float, start_on: bool | None = None
) -> np.ndarray:
    """Alternating on/off process with exponential durations (minutes, at least 1): a boolean array."""
    mean_cycle = mean_on + mean_off
    k = int(n / max(mean_cycle, 1.0) * 1.5) + 8
    ons = np.maximum(1, np.round(rng.exponential(mean_on, k))).astype(int)
    offs = np.maximum(1, np.round(rng.exponential(mean_off, k))).astype(int)
    first_on = bool(rng.random() < mean_on / mean_cycle) if start_on is None else start_on
    durations = np.empty(2 * k, int)
    durations[0::2], durations[1::2] = (ons, offs) if first_on else (offs, ons)
    states = np.zeros(2 * k, bool)
    states[0::2] = first_on
    states[1::2] = not first_on
    out = np.repeat(states, durations)
    while len(out) < n:  # very unlikely: draw more
        out = np.concatenate([out, on_off(rng, n - len(out), mean_on, mean_off)])
    return out[:n]


def duty(rng: np.random.Generator, n: int, level: np.ndarray | float, period: float) -> np.ndarray:
    """On/off cycling (compressor, thermostat) whose share of time on follows ``level`` (0..1): a uniform
    sawtooth phase compared with the level, so that on-periods last ``level × period`` minutes."""
    jitter = smooth_noise(rng, n, 0.08, max(2, int(period)))
    phase = (np.arange(n) / period + rng.random() + np.cumsum(jitter) / period * 0.2) % 1.0
    return (phase < np.clip(level, 0.0, 1.0)).astype(float)


def shift_mask(
    rng: np.random.Generator,
    n_days: int,
    operating: np.ndarray,
    start_h: float,
    end_h: float,
    jitter_min: float = 10.0,
    breaks: tuple[tuple[float, float], ...] = (),
) -> np.ndarray:
    """1-minute boolean mask of a daily shift from ``start_h`` to ``end_h`` (hours; end may exceed 24 for a
    shift that runs past midnight) on the ``operating`` days, start and end jittered per day, optional
    daily breaks (start hour, length in minutes)."""
    mask = np.zeros(n_days * MIN_PER_DAY + MIN_PER_DAY, bool)
    for d in np.flatnonzero(operating):
        s = int(d * MIN_PER_DAY + start_h * 60 + rng.normal(0, jitter_min))
        e = int(d * MIN_PER_DAY + end_h * 60 + rng.normal(0, jitter_min))
        s, e = max(s, 0), max(e, 0)
        mask[s:e] = True
        for b_start, b_len in breaks:
            bs = int(d * MIN_PER_DAY + b_start * 60 + rng.normal(0, jitter_min / 2))
            mask[bs : bs + int(b_len)] = False
    return mask[: n_days * MIN_PER_DAY]


def soften(x: np.ndarray, width: int) -> np.ndarray:
    """Moving average over ``width`` minutes (ramps at switching edges: motors, thermal inertia)."""
    if width <= 1:
        return x
    kernel = np.ones(int(width)) / int(width)
    return np.convolve(x, kernel, mode="same")


def log_uniform(rng: np.random.Generator, lo: float, hi: float) -> float:
    return float(np.exp(rng.uniform(np.log(lo), np.log(hi))))


def random_events(rng: np.random.Generator, n: int, per_day: float) -> np.ndarray:
    """Start minutes of a Poisson process with ``per_day`` events a day."""
    count = rng.poisson(per_day * n / MIN_PER_DAY)
    return np.sort(rng.integers(0, n, count))
