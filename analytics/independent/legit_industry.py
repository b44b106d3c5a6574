"""Legitimate industrial loads (see README.md for the physical basis and sources of each)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from analytics.independent.furnace import random_furnace, run_session, run_twin_session
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


def _trip(x: np.ndarray, at: int, length: int, floor: float, restart: int) -> None:
    """A plant trip at minute ``at``: the load falls to ``floor`` × itself for ``length`` minutes and comes
    back over ``restart`` minutes (motors restarted one after another)."""
    n = len(x)
    end = min(n, at + length)
    x[at:end] *= floor
    r_end = min(n, end + restart)
    if r_end > end:
        x[end:r_end] *= np.linspace(floor, 1.0, r_end - end)


def continuous_process(ctx: Context, rng: np.random.Generator) -> Site:
    """Cement (kiln + raw, coal and cement mills) or glass (furnace boosting + forming lines): round the
    clock, mills switched off in peak-tariff hours, short dropouts when the kiln or a main drive trips."""
    n, mod = ctx.n, ctx.mod
    p = log_uniform(rng, 600, 12000)
    cement = rng.random() < 0.65
    base_share = 0.45 if cement else 0.8
    kw = p * base_share * (1 + smooth_noise(rng, n, 0.02, 30) + smooth_noise(rng, n, 0.006, 3))
    if cement:
        peak_windows = [(8 * 60, 11 * 60), (18 * 60, 21 * 60)]
        shave = rng.random() < 0.6
        for share, mean_on, mean_off in ((0.25, 600, 120), (0.2, 900, 150), (0.06, 300, 90)):
            state = on_off(rng, n, mean_on, mean_off).astype(float)
            if shave:
                for s, e in peak_windows:
                    state[in_window(mod, s + int(rng.integers(-20, 20)), e)] = 0.0
            kw += p * share * soften(state, int(rng.integers(3, 12))) * (1 + smooth_noise(rng, n, 0.03, 10))
    else:
        lines = int(rng.integers(2, 5))
        for _ in range(lines):
            kw += p * 0.2 / lines * soften(on_off(rng, n, 2000, 90).astype(float), 5)
    # Dropouts: isolated trips, and for some plants a spell of repeated trips (a recurring fault).
    for at in random_events(rng, n, rng.uniform(0.1, 1.2)):
        _trip(kw, int(at), int(rng.integers(5, 46)), rng.uniform(0.1, 0.45), int(rng.integers(8, 40)))
    if rng.random() < 0.35:
        for _ in range(int(rng.integers(1, 4))):
            t = int(rng.integers(0, n))
            for _ in range(int(rng.integers(3, 7))):
                _trip(kw, t, int(rng.integers(5, 25)), rng.uniform(0.15, 0.5), int(rng.integers(5, 20)))
                t += int(rng.integers(25, 150))
                if t >= n:
                    break
    if rng.random() < 0.3:  # planned kiln stop of one to three days
        s = int(rng.integers(0, n - MIN_PER_DAY))
        _trip(
            kw, s, int(rng.integers(1, 4)) * MIN_PER_DAY, rng.uniform(0.08, 0.2), int(rng.integers(120, 480))
        )
    return Site(kw=kw, utilisation=(0.6, 0.9))


def air_separation(ctx: Context, rng: np.random.Generator) -> Site:
    """An air separation unit (main air compressor round the clock, booster and liquefier staged with
    demand), or a factory's compressed-air station (screw compressors loading/unloading every few
    minutes, their number following the shifts)."""
    n, mod = ctx.n, ctx.mod
    if rng.random() < 0.4:
        p = log_uniform(rng, 1500, 15000)
        kw = p * 0.7 * (1 + smooth_noise(rng, n, 0.01, 60))
        kw += p * 0.2 * soften(on_off(rng, n, 480, 240).astype(float), 20)
        kw += p * 0.1 * duty(rng, n, 0.6 + 0.2 * np.sin(2 * np.pi * mod / MIN_PER_DAY), 12)
        for at in random_events(rng, n, 0.04):
            _trip(kw, int(at), int(rng.integers(10, 60)), rng.uniform(0.05, 0.2), int(rng.integers(60, 150)))
        return Site(kw=kw, utilisation=(0.6, 0.9))
    units = int(rng.integers(2, 6))
    unit_kw = log_uniform(rng, 37, 250)
    operating = ctx.operating(rng, int(rng.choice([5, 6, 6, 7])))
    two_shift = rng.random() < 0.5
    shift = shift_mask(rng, ctx.n_days, operating, 7.5, 23.5 if two_shift else 17.5, 10, ((12, 60),))
    demand = 0.15 + shift * rng.uniform(0.55, 0.85) + smooth_noise(rng, n, 0.08, 20)
    kw = np.zeros(n)
    for u in range(units):
        need = np.clip(demand * units - u, 0, 1)  # lead/lag: unit u takes what the others leave
        loaded = duty(rng, n, need, rng.uniform(3, 9))
        running = need > 0.02
        kw += unit_kw * running * (0.3 + 0.7 * loaded)
    return Site(kw=kw + unit_kw * 0.05)


def storage_boiler(ctx: Context, rng: np.random.Generator) -> Site:
    """Heat-storage electric boiler (蓄热式电锅炉): element banks staged on at the start of the valley
    tariff, charging until the store is full (a share of the night that grows with the cold), the last
    banks cycling on the tank thermostat; pumps by day; some also top up at midday. Hot-water stores
    (hotels, hospitals) charge all year."""
    n, mod = ctx.n, ctx.mod
    p = log_uniform(rng, 150, 5000)
    banks = int(rng.integers(2, 7))
    v_start, v_end = valley_window(rng)
    window = (v_end - v_start) % MIN_PER_DAY
    tmean = ctx.daily_mean_temp()
    space = rng.random() < 0.75
    kw = np.zeros(n)
    for d in range(ctx.n_days):
        if space:
            need = np.clip((18 - tmean[d]) / 23.0, 0.1, 1.0) * rng.uniform(0.85, 1.1)
        else:
            need = rng.uniform(0.3, 0.6)
        on_minutes = int(window * min(need, 1.0))
        s = d * MIN_PER_DAY + v_start + int(rng.integers(0, 4))
        for b in range(banks):
            bs = s + b * int(rng.integers(1, 5))
            be = bs + on_minutes - int(b * rng.uniform(0, 25))
            kw[max(bs, 0) : max(min(be, n), 0)] += p / banks
        # Thermostat: after the main charge the last bank cycles until the window closes.
        tail_s, tail_e = s + on_minutes, s + window
        if tail_e > tail_s and rng.random() < 0.7:
            seg = duty(rng, tail_e - tail_s, rng.uniform(0.2, 0.6), rng.uniform(6, 20))
            lo, hi = max(tail_s, 0), min(tail_e, n)
            if hi > lo:
                kw[lo:hi] += p / banks * seg[lo - tail_s : hi - tail_s]
    if rng.random() < 0.35:  # midday top-up in the flat tariff
        top = in_window(mod, 11 * 60 + int(rng.integers(0, 60)), 13 * 60 + int(rng.integers(0, 60)))
        kw += top * p / banks * rng.integers(1, banks + 1) * (ctx.temp < 8)
    kw += p * rng.uniform(0.02, 0.05) * (1 + smooth_noise(rng, n, 0.05, 30))  # circulation pumps
    if rng.random() < 0.5:  # the building it heats
        kw += p * rng.uniform(0.05, 0.2) * (0.4 + 0.6 * in_window(mod, 8 * 60, 18 * 60))
    return Site(kw=kw, utilisation=(0.7, 0.95))


def heat_treatment(ctx: Context, rng: np.random.Generator) -> Site:
    """Batch heat-treatment furnaces (box, pit, bogie-hearth; resistance heated): charge, heat up at full
    power for 1-4 h with the power tapering near the set point, soak for 2-12 h on a thermostat (20-45 %
    of rated, cycling in minutes), cool, next batch."""
    n = ctx.n
    kw = np.zeros(n)
    total = 0.0
    for _ in range(int(rng.integers(1, 5))):
        pf = log_uniform(rng, 60, 900)
        total += pf
        t = int(rng.integers(0, 600))
        while t < n:
            heat_up = int(rng.uniform(60, 240))
            taper = int(heat_up * rng.uniform(0.15, 0.35))
            soak = int(rng.uniform(120, 720))
            seg = np.concatenate(
                [
                    np.ones(heat_up - taper),
                    np.linspace(1.0, 0.45, taper),
                    duty(rng, soak, rng.uniform(0.2, 0.45), rng.uniform(3, 10)),
                ]
            )
            end = min(n, t + len(seg))
            kw[t:end] += pf * seg[: end - t]
            t = end + int(rng.uniform(60, 480))  # cool, unload, charge
    kw += total * rng.uniform(0.04, 0.1) * (1 + smooth_noise(rng, n, 0.1, 15))
    return Site(kw=kw, utilisation=(0.45, 0.85))


def rolling_mill(ctx: Context, rng: np.random.Generator) -> Site:
    """Bar / section rolling mill: a burst of drive power per billet pass (tens of seconds) on top of idling
    motors, billet sizes changing through the day, roll changes and cobbles stopping the mill for 15-60
    minutes; fans and pumps of the (gas-fired) reheating furnace in the background. The UCI Daewoo plant
    has this shape: ~3 % of peak at night, rough plateaus by day with a lunch break."""
    n = ctx.n
    p = log_uniform(rng, 400, 8000)
    operating = ctx.operating(rng, int(rng.choice([6, 7])))
    three = rng.random() < 0.35
    shift = shift_mask(
        rng, ctx.n_days, operating, 0 if three else 7.5, 24 if three else 23.0, 15, ((11.75, 60), (17.5, 40))
    )
    rolling = shift & on_off(rng, n, rng.uniform(90, 240), rng.uniform(15, 60), start_on=True)
    passes = duty(rng, n, rng.uniform(0.35, 0.7), rng.uniform(1.5, 4))
    size = 1 + smooth_noise(rng, n, 0.18, 45)
    kw = rolling * p * np.clip(0.3 + 0.7 * passes * size, 0.2, 1.2)
    kw += shift * p * 0.12 + p * rng.uniform(0.02, 0.05)
    return Site(kw=kw, utilisation=(0.5, 0.95))


def foundry_registered(ctx: Context, rng: np.random.Generator) -> Site:
    """A registered foundry (castings, a legitimate use) melting in its registered induction furnaces at
    their registered power, one or two shifts a day, plus sand plant, shot blasting and dust collection."""
    n = ctx.n
    furnaces = [
        random_furnace(rng, f"F{i + 1}", capacity_t=(0.5, 3.0)) for i in range(int(rng.integers(1, 4)))
    ]
    furnaces = [replace(f, power_setting=float(rng.uniform(0.88, 1.0))) for f in furnaces]
    registered = sum(f.rated_kw for f in furnaces)
    operating = ctx.operating(rng, int(rng.choice([5, 6, 6, 7])))
    if rng.random() < 0.1:  # few orders this month: melting on a handful of days only
        operating &= rng.random(ctx.n_days) < 0.25
    two_shift = rng.random() < 0.4
    twin = rng.random() < 0.3
    kw = np.zeros(n)
    heats = []
    for d in np.flatnonzero(operating):
        for s_h, e_h in [(8, 17)] + ([(17.5, 24)] if two_shift else []):
            for f in furnaces if rng.random() < 0.85 else furnaces[:1]:
                start = int(d * MIN_PER_DAY + s_h * 60 + rng.uniform(0, 60))
                cycle = f.capacity_t * f.kwh_per_t / (f.rated_kw * f.power_setting) * 60 + np.mean(
                    f.break_min
                )
                n_heats = max(1, int((e_h - s_h - 1) * 60 / cycle * rng.uniform(0.6, 1.0)))
                runner = run_twin_session if twin else run_session
                h, _ = runner(rng, f, kw, start, n_heats)
                heats += h
    shift = shift_mask(rng, ctx.n_days, operating, 7.5, 24 if two_shift else 17.5, 10)
    kw += registered * rng.uniform(0.08, 0.2) * shift * (1 + smooth_noise(rng, n, 0.15, 10))
    kw += registered * 0.02
    return Site(kw=kw, registered_furnace_kw=round(registered, -1), heats=heats, utilisation=(0.55, 0.9))


def electroplating(ctx: Context, rng: np.random.Generator) -> Site:
    """Electroplating: rectifiers of several lines switched with the work, tank heaters on thermostats (more
    in the cold), ventilation and waste-water treatment round the clock."""
    n = ctx.n
    p = log_uniform(rng, 80, 2000)
    operating = ctx.operating(rng, int(rng.choice([6, 6, 7])))
    shift = shift_mask(rng, ctx.n_days, operating, 8, 24 if rng.random() < 0.5 else 18, 15, ((12, 45),))
    lines = int(rng.integers(2, 7))
    kw = np.zeros(n)
    for _ in range(lines):
        kw += p * 0.5 / lines * shift * on_off(rng, n, rng.uniform(60, 180), rng.uniform(10, 40))
    heat_need = np.clip(0.25 + (15 - ctx.temp) / 40, 0.1, 0.8)
    kw += p * 0.3 * duty(rng, n, heat_need * (0.5 + 0.5 * shift), rng.uniform(5, 15))
    kw += p * 0.12 * (1 + smooth_noise(rng, n, 0.05, 30))
    return Site(kw=kw)


def plastics_injection(ctx: Context, rng: np.random.Generator) -> Site:
    """Injection-moulding shop: machines running production orders for days, mould changes of 1-4 hours,
    barrel heaters on thermostats, chillers; most shops run round the clock."""
    n = ctx.n
    machines = int(rng.integers(4, 60))
    m_kw = rng.uniform(8, 70, machines)
    operating = ctx.operating(rng, int(rng.choice([6, 7, 7])))
    day_only = rng.random() < 0.3
    works = shift_mask(rng, ctx.n_days, operating, 8, 20 if day_only else 32, 20)
    kw = np.zeros(n)
    for m in m_kw:
        run = works & on_off(rng, n, rng.uniform(600, 4000), rng.uniform(60, 240))
        kw += m * run * (0.6 + 0.15 * smooth_noise(rng, n, 1.0, 2)) + m * 0.1 * works
    kw += m_kw.sum() * 0.12 * (1 + smooth_noise(rng, n, 0.05, 30)) + m_kw.sum() * 0.02
    return Site(kw=np.maximum(kw, 0))


def welding_shop(ctx: Context, rng: np.random.Generator) -> Site:
    """Steel-structure / machinery fabrication with arc welding: welders' arc-on time 20-40 %, grinders,
    cranes and a compressor; day shift with a lunch break, evening overtime on some days."""
    n = ctx.n
    welders = int(rng.integers(3, 60))
    w_kw = rng.uniform(8, 25)
    operating = ctx.operating(rng, int(rng.choice([5, 6, 6, 7])))
    shift = shift_mask(rng, ctx.n_days, operating, 8, 17.5, 15, ((12, 90),)).astype(float)
    overtime = shift_mask(rng, ctx.n_days, operating & (rng.random(ctx.n_days) < 0.3), 18.5, 21.5, 15)
    present = np.maximum(shift, overtime * rng.uniform(0.3, 0.7))
    arc = rng.uniform(0.2, 0.4)
    active = present * (1 + smooth_noise(rng, n, 0.15, 20))
    kw = welders * w_kw * arc * active * (1 + rng.normal(0, 0.6 / np.sqrt(welders), n))
    kw += welders * 3 * present * on_off(rng, n, 40, 20)  # crane, grinders
    kw += 5 + welders * 0.5
    return Site(kw=np.maximum(kw, 0))
