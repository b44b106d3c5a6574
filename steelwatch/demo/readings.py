"""30 days of 15-minute meter readings for demo power accounts, consistent with what the ledger says.

Legitimate loads are simple shapes by industry (day shifts, two shifts, cold stores, standby at dead
sites); furnace melting uses the simulator's physics (`analytics.sim_physics.furnace_kw`), so a legal
foundry melts with its registered furnaces on day shifts. A handful of accounts get an illegal pattern
on top: a furnace at night behind a machining shop, a foundry melting far beyond its registered
furnaces, a workshop melting a few nights a month, a closed site coming back to life.
"""

import datetime
from dataclasses import dataclass

import numpy as np
import polars as pl

from analytics.sim_physics import Furnace as Physics
from analytics.sim_physics import furnace_kw
from steelwatch.registry.models import Enterprise, Furnace, PowerAccount

STEPS_PER_DAY = 96
PATTERNS = {
    "night_furnace": "机加工厂房内夜间感应炉熔炼（未登记感应炉）",
    "foundry_over_capacity": "铸造企业夜间熔炼，负荷远超登记感应炉功率",
    "intermittent_nights": "每月只在少数几个夜间熔炼的小作坊",
    "closed_site_revival": "已关停/取缔场所夜间恢复用电",
}


@dataclass
class Clock:
    start: datetime.date
    days: int

    @property
    def steps(self) -> int:
        return self.days * STEPS_PER_DAY

    @property
    def hours(self) -> np.ndarray:
        return np.arange(self.steps) * 0.25

    @property
    def hour_of_day(self) -> np.ndarray:
        return self.hours % 24

    @property
    def weekday(self) -> np.ndarray:
        return (self.start.weekday() + (self.hours // 24).astype(int)) % 7

    def timestamps(self) -> np.ndarray:
        origin = np.datetime64(self.start.isoformat(), "us")
        return origin + (np.arange(self.steps) * 15 * 60_000_000).astype("timedelta64[us]")


def _noise(rng: np.random.Generator, n: int, sd: float) -> np.ndarray:
    """Smooth multiplicative noise (AR(1), ρ = 0.8) around 1."""
    shocks = rng.normal(0, sd, n)
    out = np.empty(n)
    level = 0.0
    for i, shock in enumerate(shocks):
        level = 0.8 * level + shock
        out[i] = level
    return np.clip(1 + out, 0.5, 1.5)


def shift_load(rng, clock: Clock, cap_kw: float, start_h: float, end_h: float, days: int = 6) -> np.ndarray:
    """Ordinary production: standby plus a working plateau between start_h and end_h on `days` days a week."""
    hod, working_day = clock.hour_of_day, clock.weekday < days
    on = working_day & (hod >= start_h) & (hod < end_h)
    lunch = working_day & (hod >= 11.5) & (hod < 12.5)
    base, work = cap_kw * rng.uniform(0.03, 0.08), cap_kw * rng.uniform(0.3, 0.6)
    return (base + work * on - 0.5 * work * (on & lunch)) * _noise(rng, clock.steps, 0.04)


def cold_store(rng, clock: Clock, cap_kw: float) -> np.ndarray:
    period = rng.uniform(0.8, 1.6)
    cycle = 0.5 + 0.5 * (np.sin(2 * np.pi * clock.hours / period) > 0)
    return cap_kw * rng.uniform(0.25, 0.45) * cycle * _noise(rng, clock.steps, 0.05)


def heat_treatment(rng, clock: Clock, cap_kw: float) -> np.ndarray:
    """Long soaking cycles, mostly on the cheap night tariff: slow ramps, hours at a steady level."""
    hod = clock.hour_of_day
    night = (hod >= 22) | (hod < 7)
    return cap_kw * (0.05 + rng.uniform(0.35, 0.55) * night) * _noise(rng, clock.steps, 0.03)


def standby(rng, clock: Clock) -> np.ndarray:
    return rng.uniform(0.3, 3.0) * _noise(rng, clock.steps, 0.2)


def physics(rng: np.random.Generator, capacity_t: float, rated_kw: float) -> Physics:
    return Physics(capacity_t=capacity_t, rated_kw=rated_kw, kwh_per_t=rng.uniform(550, 650),
                   power_level=rng.uniform(0.85, 0.98), power_sd=rng.uniform(0.025, 0.075),
                   low_kw=rated_kw * rng.uniform(0.03, 0.12), melt_share=rng.uniform(0.7, 0.85),
                   aux_share=rng.uniform(0.03, 0.08))  # fmt: skip


def melting(
    rng, clock: Clock, furnace: Physics, nights: np.ndarray, start_h: float, length_h: float
) -> np.ndarray:
    """A furnace melting from start_h for length_h on the chosen days (boolean per day)."""
    days = np.flatnonzero(nights)
    starts = days * 24 + start_h + rng.uniform(0, 0.75, len(days))
    lengths = np.full(len(days), length_h) * rng.uniform(0.85, 1.0, len(days))
    kw, _heats = furnace_kw(rng, furnace, starts, lengths, clock.steps)
    return kw


def legit_load(rng, clock: Clock, account: PowerAccount) -> np.ndarray:
    enterprise = account.enterprise
    cap_kw = float(account.contracted_kva) * 0.85
    if account.closed_site_watch or enterprise is None or enterprise.status != Enterprise.Status.OPERATING:
        return standby(rng, clock)
    industry = enterprise.industry
    if industry in {"铸造", "特钢"}:
        load = shift_load(rng, clock, cap_kw * 0.2, 8, 17)
        furnaces = [f for f in enterprise.furnaces.all() if f.status == Furnace.Status.IN_USE]
        if furnaces:  # one registered furnace melts on day shifts (two shifts at special-steel works)
            f = max(furnaces, key=lambda f: f.rated_kw)
            days = clock.weekday[::STEPS_PER_DAY] < 6
            length = 14.0 if industry == "特钢" else 7.0
            load = load + melting(
                rng, clock, physics(rng, float(f.capacity_t), float(f.rated_kw)), days, 7.5, length
            )
        return load
    if industry == "轧钢":
        return shift_load(rng, clock, cap_kw, 6, 22)
    if industry == "冷库仓储":
        return cold_store(rng, clock, cap_kw)
    if industry == "热处理":
        return heat_treatment(rng, clock, cap_kw)
    return shift_load(rng, clock, cap_kw, 8, 17.5)


def illegal_load(rng, clock: Clock, account: PowerAccount, pattern: str) -> np.ndarray:
    """The account's legitimate load with an induction furnace melting on top."""
    load = legit_load(rng, clock, account)
    cap_kw = float(account.contracted_kva) * 0.85
    days = clock.days
    if pattern == "foundry_over_capacity":
        registered = sum(float(f.rated_kw) for f in account.enterprise.furnaces.all()
                         if f.status == Furnace.Status.IN_USE)  # fmt: skip
        rated = max(registered * rng.uniform(1.8, 2.5), 1200.0)
        nights = rng.random(days) < 0.8
    elif pattern == "intermittent_nights":
        rated = min(cap_kw * 0.7, rng.uniform(600, 1200))
        nights = np.zeros(days, bool)
        nights[rng.choice(days, 4, replace=False)] = True
    elif pattern == "closed_site_revival":
        rated = rng.uniform(800, 1600)
        nights = np.zeros(days, bool)
        nights[days - 14 + rng.choice(14, 5, replace=False)] = True
    else:  # night_furnace
        rated = min(cap_kw * 0.75, rng.uniform(900, 1800))
        nights = rng.random(days) < 0.85
    nights[-1] = False  # the last night would run past the end of the data
    furnace = physics(rng, rated / rng.uniform(650, 850), rated)
    return load + melting(rng, clock, furnace, nights, 22.0, 6.0)


def readings_frame(rng: np.random.Generator, clock: Clock, accounts: list[PowerAccount],
                   patterns: dict[str, str]) -> pl.DataFrame:  # fmt: skip
    """account_id, ts (local time, interval start), kw for every account; `patterns` maps account_id → pattern."""
    ids, kws = [], []
    for account in accounts:
        pattern = patterns.get(account.account_id)
        kw = illegal_load(rng, clock, account, pattern) if pattern else legit_load(rng, clock, account)
        ids.append(np.full(clock.steps, account.account_id))
        kws.append(np.round(np.maximum(kw, 0), 2))
    ts = np.tile(clock.timestamps(), len(accounts))
    return pl.DataFrame({"account_id": np.concatenate(ids), "ts": ts, "kw": np.concatenate(kws)})
