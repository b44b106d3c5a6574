"""Legitimate loads outside heavy industry: refrigeration, buildings, households, data centres, pumping,
seasonal processing, induction forging, and closed sites."""

from __future__ import annotations

import numpy as np

from analytics.independent.primitives import (
    duty,
    log_uniform,
    on_off,
    random_events,
    shift_mask,
    smooth_noise,
    soften,
)
from analytics.independent.site import Context, Site
from analytics.independent.timebase import MIN_PER_DAY, in_window, valley_window


def cold_store(ctx: Context, rng: np.random.Generator, p: float | None = None) -> Site:
    """Cold store (冷库): refrigeration compressors cycling on suction pressure, their duty rising with the
    outdoor temperature and with door openings in working hours; electric defrost of each evaporator group
    every 6-12 hours; some stores pull the rooms down harder in the valley tariff."""
    n, mod = ctx.n, ctx.mod
    p = p or log_uniform(rng, 40, 1500)
    operating = ctx.operating(rng, 7 if rng.random() < 0.6 else 6)
    work = shift_mask(rng, ctx.n_days, operating, 7, 19, 30)
    level = 0.35 + 0.015 * (ctx.temp - 5) + 0.15 * work + smooth_noise(rng, n, 0.05, 60)
    if rng.random() < 0.4:
        v_s, v_e = valley_window(rng)
        level = level + 0.15 * in_window(mod, v_s, v_e)
    groups = int(rng.integers(1, 5))
    kw = np.zeros(n)
    for _ in range(groups):
        g = duty(rng, n, np.clip(level, 0.1, 0.95), rng.uniform(8, 25))
        every = int(rng.uniform(360, 720))
        length = int(rng.uniform(20, 40))
        phase = int(rng.integers(0, every))
        defrost = ((np.arange(n) + phase) % every) < length
        kw += p / groups * np.where(defrost, rng.uniform(0.1, 0.2), 0.3 + 0.7 * g)
    kw += p * 0.05 * (1 + work)
    return Site(kw=kw, utilisation=(0.5, 0.85))


def office_commercial(ctx: Context, rng: np.random.Generator) -> Site:
    """Office building or shop/mall: lighting and plug loads in opening hours, electric heat pumps /
    air-conditioning following the temperature, a night base of servers, lifts and security."""
    n, mod = ctx.n, ctx.mod
    p = log_uniform(rng, 20, 2500)
    shop = rng.random() < 0.4
    operating = ctx.operating(rng, 7 if shop else 5)
    hours = (9.5, 22) if shop else (7.75, 18.5)
    occupied = shift_mask(rng, ctx.n_days, operating, *hours, 15).astype(float)
    occupied = soften(occupied, 30)
    hvac = np.clip(np.abs(ctx.temp - 20) / 20, 0, 1) * (0.3 + 0.7 * occupied)
    kw = p * (0.18 + 0.45 * occupied + 0.35 * hvac * duty(rng, n, 0.75, 15))
    kw *= 1 + smooth_noise(rng, n, 0.04, 20)
    lunch = in_window(mod, 12 * 60, 13 * 60) * occupied * (not shop)
    return Site(kw=kw * (1 - 0.12 * lunch), utilisation=(0.3, 0.75))


def residential_small(ctx: Context, rng: np.random.Generator) -> Site:
    """Small account: a household or a row of shop-houses. Fridges, morning and evening peaks, cooking,
    electric heaters in the cold, appliances switching at random."""
    n, mod = ctx.n, ctx.mod
    p = log_uniform(rng, 3, 60)
    hour = mod / 60.0
    shape = 0.15 + 0.35 * np.exp(-((hour - 7.5) ** 2) / 1.5) + 0.8 * np.exp(-((hour - 19.5) ** 2) / 4)
    heating = np.clip((10 - ctx.temp) / 15, 0, 1) * (rng.random() < 0.6)
    kw = p * (shape + 0.4 * heating * duty(rng, n, 0.5, 20))
    kw += p * 0.6 * on_off(rng, n, 6, 90) + p * 0.05 * duty(rng, n, 0.35, 30)
    kw *= 1 + smooth_noise(rng, n, 0.15, 30)
    return Site(kw=np.maximum(kw, 0.05), utilisation=(0.3, 0.8))


def data_centre(ctx: Context, rng: np.random.Generator) -> Site:
    """Data centre: IT load flat within a few per cent, cooling (PUE 1.3-1.6) following the outdoor
    temperature, chillers staged in steps."""
    n = ctx.n
    it = log_uniform(rng, 200, 10000)
    pue = rng.uniform(1.3, 1.6)
    kw = it * (
        1 + 0.02 * np.sin(2 * np.pi * (ctx.mod - 15 * 60) / MIN_PER_DAY) + smooth_noise(rng, n, 0.01, 120)
    )
    cooling = it * (pue - 1) * np.clip(0.6 + 0.02 * (ctx.temp - 10), 0.3, 1.2)
    stages = int(rng.integers(2, 6))
    chiller = duty(rng, n, 0.5, rng.uniform(90, 300))
    kw += np.ceil(cooling / (it * (pue - 1) / stages) - 0.3 * chiller) * it * (pue - 1) / stages
    return Site(kw=kw, utilisation=(0.4, 0.7))


def water_pumping(ctx: Context, rng: np.random.Generator) -> Site:
    """Water supply / drainage pumping station: 2-5 pumps started on reservoir level, filling the reservoir
    in the valley tariff, one pump cycling on level by day (hour-long runs), soft starters."""
    n, mod = ctx.n, ctx.mod
    pumps = int(rng.integers(2, 6))
    pump_kw = log_uniform(rng, 30, 800)
    v_s, v_e = valley_window(rng)
    night = in_window(mod, v_s, v_e)
    kw = np.zeros(n)
    for i in range(pumps):
        if i < pumps - 1:
            state = night & on_off(rng, n, rng.uniform(200, 600), rng.uniform(20, 120), start_on=True)
        else:
            state = ~night & on_off(rng, n, rng.uniform(40, 180), rng.uniform(40, 180))
        kw += pump_kw * soften(state.astype(float), 2)
    kw *= 1 + smooth_noise(rng, n, 0.02, 30)
    return Site(kw=kw + pump_kw * 0.03, utilisation=(0.6, 0.9))


def seasonal_processing(ctx: Context, rng: np.random.Generator) -> Site:
    """Agricultural processing (grain drying, feed milling, vegetable cleaning and freezing, cotton ginning):
    works in campaigns of days when the crop or an order is in, idle in between."""
    n = ctx.n
    p = log_uniform(rng, 50, 1500)
    active = np.zeros(ctx.n_days, bool)
    for _ in range(int(rng.integers(1, 4))):
        s = int(rng.integers(0, ctx.n_days))
        active[s : s + int(rng.integers(2, 15))] = True
    two = rng.random() < 0.5
    shift = shift_mask(rng, ctx.n_days, active, 7, 23 if two else 18, 30, ((12, 60),))
    batches = shift & on_off(rng, n, rng.uniform(60, 300), rng.uniform(10, 60), start_on=True)
    kw = p * (0.2 * shift + 0.7 * batches * (1 + smooth_noise(rng, n, 0.1, 15))) + p * 0.03
    return Site(kw=np.maximum(kw, 0), utilisation=(0.4, 0.9))


def induction_forging(ctx: Context, rng: np.random.Generator) -> Site:
    """Medium-frequency induction billet heater (中频透热炉) feeding a forging press: a legitimate
    medium-frequency load, not a melting furnace. Power is near rated while billets are pushed through
    the coil and stops for die changes, material shortages and breaks; press and hammer motors on top."""
    n = ctx.n
    p = log_uniform(rng, 160, 2500)
    operating = ctx.operating(rng, int(rng.choice([6, 6, 7])))
    two = rng.random() < 0.5
    shift = shift_mask(rng, ctx.n_days, operating, 8, 24 if two else 17.5, 15, ((12, 60),))
    running = shift & on_off(rng, n, rng.uniform(40, 200), rng.uniform(10, 50), start_on=True)
    heater = p * rng.uniform(0.7, 0.95) * (1 + smooth_noise(rng, n, 0.03, 5))
    kw = soften(running.astype(float), int(rng.integers(2, 6))) * heater
    kw += shift * p * 0.15 * (0.5 + duty(rng, n, 0.5, 2)) + p * 0.02
    return Site(kw=kw, utilisation=(0.55, 0.9))


def closed_dormant(ctx: Context, rng: np.random.Generator) -> Site:
    """A site closed by the authorities (power cut to production): what is left is a guard room, lights
    from dusk to dawn and perhaps a sump pump."""
    n, mod = ctx.n, ctx.mod
    p = log_uniform(rng, 0.3, 5)
    lights = in_window(mod, 17 * 60 + int(rng.integers(-30, 60)), 6 * 60 + int(rng.integers(-30, 60)))
    kw = p * (0.3 + 0.7 * lights) * (1 + smooth_noise(rng, n, 0.05, 60))
    if rng.random() < 0.5:
        pump = np.zeros(n)
        for at in random_events(rng, n, rng.uniform(0.5, 3)):
            pump[at : at + int(rng.integers(5, 30))] = 1
        kw += pump * rng.uniform(1, 5)
    return Site(kw=kw, closed_days_before=int(rng.integers(10, 400)), contract_kva=_old_contract(rng))


def _old_contract(rng: np.random.Generator) -> float:
    """The contract a closed site kept from its working days."""
    return float(rng.choice([200, 315, 400, 500, 630, 800, 1000, 1250, 1600, 2000, 3150]))
