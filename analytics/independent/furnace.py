"""Medium-frequency coreless induction furnaces, minute by minute (docs/physics.md and the sources in the README).

A heat: the supply ramps up over a few minutes as the cold charge couples, runs at its power setting with
small fluctuations and one or two short dips while scrap is added, drops to a superheating level for the
last minutes, then the furnace is tapped (power off for a few minutes) and held at 5-20 % while it is
slagged, sampled and recharged. The energy of the whole cycle is the tonnes melted times 550-650 kWh/t.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analytics.independent.primitives import log_uniform


@dataclass(frozen=True)
class Furnace:
    name: str
    capacity_t: float
    rated_kw: float
    kwh_per_t: float  # energy at the meter per tonne, whole cycle
    power_setting: (
        float  # share of rated power used while melting (shops under-run to spare a weak transformer)
    )
    break_min: tuple[float, float]  # tap, slag, sample, recharge
    hold_frac: float  # holding power during the break, share of rated


@dataclass(frozen=True)
class Heat:
    furnace: str
    start: int  # minute of the simulation
    end: int  # minute (exclusive) when the next heat may start
    tonnes: float
    kwh: float


def random_furnace(
    rng: np.random.Generator,
    name: str,
    capacity_t: tuple[float, float] = (0.5, 5.0),
    kw_per_t: tuple[float, float] = (500.0, 1000.0),
    rated_kw: float | None = None,
) -> Furnace:
    """A furnace from the public ranges: 0.5-5 t, 500-1000 kW per tonne of capacity, 550-650 kWh/t,
    breaks of 10-25 minutes. Given ``rated_kw``, the capacity follows from the power density."""
    density = rng.uniform(*kw_per_t)
    if rated_kw is None:
        cap = log_uniform(rng, *capacity_t)
        rated = cap * density
    else:
        rated, cap = rated_kw, rated_kw / density
    lo = rng.uniform(10, 16)
    return Furnace(
        name=name,
        capacity_t=round(cap, 2),
        rated_kw=float(rated),
        kwh_per_t=float(rng.uniform(550, 650)),
        power_setting=float(rng.choice([1.0, 1.0, rng.uniform(0.75, 0.98)])),
        break_min=(lo, lo + rng.uniform(4, 10)),
        hold_frac=float(rng.uniform(0.05, 0.2)),
    )


def _melt_shape(rng: np.random.Generator, energy_kwh: float, p: float) -> np.ndarray:
    """Per-minute kW of one melt delivering ``energy_kwh`` at a nominal ``p`` kW."""
    ramp = np.linspace(rng.uniform(0.25, 0.5), 1.0, int(rng.integers(3, 9)))
    superheat = np.full(int(rng.integers(3, 9)), rng.uniform(0.7, 0.9))
    fixed = ramp.sum() + superheat.sum()
    flat = max(3, int(round(energy_kwh * 60.0 / p - fixed)))
    shape = np.concatenate([ramp, np.ones(flat), superheat])
    for _ in range(int(rng.integers(0, 3))):  # scrap added to the bath: a brief drop in coupling
        at = int(rng.integers(len(ramp), len(ramp) + max(1, int(flat * 0.7))))
        shape[at : at + int(rng.integers(1, 4))] *= rng.uniform(0.4, 0.75)
    shape *= 1.0 + rng.normal(0.0, 0.012, len(shape))
    # Re-scale the flat part so that the delivered energy is the target despite the dips.
    delivered = shape.sum() * p / 60.0
    shape *= energy_kwh / delivered
    return np.clip(shape, 0.0, 1.08) * p


def run_session(
    rng: np.random.Generator, furnace: Furnace, power: np.ndarray, start: int, n_heats: int
) -> tuple[list[Heat], int]:
    """Melt ``n_heats`` heats back to back from minute ``start``, adding the furnace's power into ``power``.
    Returns the heats and the minute the session ended."""
    heats: list[Heat] = []
    t = start
    p = furnace.rated_kw * furnace.power_setting
    for i in range(n_heats):
        last = i == n_heats - 1
        tonnes = furnace.capacity_t * rng.uniform(0.85, 1.0)
        energy = tonnes * furnace.kwh_per_t
        brk = int(round(rng.uniform(*furnace.break_min)))
        tap = int(rng.integers(2, 6))
        hold = np.zeros(brk)
        hold[:tap] = rng.uniform(0.0, 0.03) * furnace.rated_kw
        if not last:
            hold[tap:] = furnace.hold_frac * furnace.rated_kw * (1 + rng.normal(0, 0.05, brk - tap))
        melt = _melt_shape(rng, energy - hold.sum() / 60.0, p)
        cycle = np.concatenate([melt, hold])
        end = t + len(cycle)
        lo, hi = max(t, 0), min(end, len(power))
        if hi > lo:
            power[lo:hi] += cycle[lo - t : hi - t]
        heats.append(Heat(furnace.name, t, end, float(tonnes), float(cycle.sum() / 60.0)))
        t = end
    return heats, t


def run_twin_session(
    rng: np.random.Generator, furnace: Furnace, power: np.ndarray, start: int, n_heats: int
) -> tuple[list[Heat], int]:
    """One supply feeding two crucibles (一电双炉 / 一拖二): while crucible A is tapped and recharged the
    supply melts in crucible B, so the load is a near-continuous plateau broken only by 2-6-minute
    switch-overs and the ramp of each new melt."""
    heats: list[Heat] = []
    t = start
    p = furnace.rated_kw * furnace.power_setting
    for i in range(n_heats):
        tonnes = furnace.capacity_t * rng.uniform(0.85, 1.0)
        melt = _melt_shape(rng, tonnes * furnace.kwh_per_t, p)
        gap = np.full(int(rng.integers(2, 7)), rng.uniform(0.0, 0.04) * furnace.rated_kw)
        cycle = np.concatenate([melt, gap])
        end = t + len(cycle)
        lo, hi = max(t, 0), min(end, len(power))
        if hi > lo:
            power[lo:hi] += cycle[lo - t : hi - t]
        heats.append(Heat(f"{furnace.name}{'AB'[i % 2]}", t, end, float(tonnes), float(cycle.sum() / 60.0)))
        t = end
    return heats, t
