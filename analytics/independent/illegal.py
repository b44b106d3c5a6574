"""Illegal induction-furnace melting (地条钢), in the ways it is hidden (README.md has the basis of each)."""

from __future__ import annotations

import numpy as np

from analytics.independent import legit_industry as ind
from analytics.independent import legit_other as oth
from analytics.independent.furnace import Furnace, Heat, random_furnace, run_session, run_twin_session
from analytics.independent.primitives import log_uniform
from analytics.independent.site import Context, Site
from analytics.independent.timebase import MIN_PER_DAY


def _cycle_min(f: Furnace) -> float:
    """Expected minutes per heat (the ramp and superheat run below full power: ~10 % longer)."""
    return f.capacity_t * 0.92 * f.kwh_per_t / (f.rated_kw * f.power_setting) * 66 + np.mean(f.break_min)


def _window_days(ctx: Context) -> np.ndarray:
    """Indices of the simulated days inside the reported window (not the margins)."""
    return np.arange(ctx.tb.margin, ctx.tb.margin + ctx.tb.days)


def _shop(rng: np.random.Generator, count: tuple[int, int] = (1, 3), **kw) -> tuple[list[Furnace], bool]:
    furnaces = [
        random_furnace(rng, f"F{i + 1}", **kw) for i in range(int(rng.integers(count[0], count[1] + 1)))
    ]
    return furnaces, bool(rng.random() < 0.3)


def melt_days(
    ctx: Context,
    rng: np.random.Generator,
    furnaces: list[Furnace],
    twin: bool,
    kw: np.ndarray,
    days: np.ndarray,
    start_h: tuple[float, float],
    hours: tuple[float, float],
) -> list[Heat]:
    """On each of ``days``, a session starting between ``start_h`` hours and lasting about ``hours``: every
    furnace melts back-to-back heats, staggered so that they do not all tap together; the cooling-water
    pumps run from the first heat until an hour after the last."""
    heats: list[Heat] = []
    total = sum(f.rated_kw for f in furnaces)
    aux = np.zeros(len(kw))
    for d in np.flatnonzero(days):
        start = int(d * MIN_PER_DAY + rng.uniform(*start_h) * 60)
        length = rng.uniform(*hours) * 60
        end = start
        for f in furnaces:
            offset = int(rng.uniform(0, _cycle_min(f) * 0.8)) if len(furnaces) > 1 else 0
            n_heats = max(1, int((length - offset) / _cycle_min(f)))
            runner = run_twin_session if twin else run_session
            h, stop = runner(rng, f, kw, start + offset, n_heats)
            heats += h
            end = max(end, stop)
        aux[max(start - 15, 0) : min(end + 60, len(kw))] = 1.0
    kw += aux * total * rng.uniform(0.02, 0.05)
    return heats


def furnace_workshop(ctx: Context, rng: np.random.Generator) -> Site:
    """An unregistered melting shop with no cover business: 1-3 furnaces, sessions by night or by day."""
    furnaces, twin = _shop(rng)
    kw = np.full(ctx.n, log_uniform(rng, 2, 20))
    days = rng.random(ctx.n_days) < rng.uniform(0.4, 0.95)
    night = rng.random() < 0.6
    heats = melt_days(ctx, rng, furnaces, twin, kw, days, (21.5, 24.5) if night else (6, 9), (5, 10))
    return Site(kw=kw, heats=heats, utilisation=(0.6, 1.1))


COVERS = ("welding_shop", "plastics_injection", "office_commercial", "cold_store", "electroplating")


_COVER_LOADS = {
    "welding_shop": ind.welding_shop,
    "plastics_injection": ind.plastics_injection,
    "office_commercial": oth.office_commercial,
    "cold_store": oth.cold_store,
    "electroplating": ind.electroplating,
    "rolling_mill": ind.rolling_mill,
    "continuous_process": ind.continuous_process,
    "induction_forging": oth.induction_forging,
}


def _cover(name: str, ctx: Context, rng: np.random.Generator) -> Site:
    return _COVER_LOADS[name](ctx, rng)


def furnace_night_hidden(ctx: Context, rng: np.random.Generator) -> Site:
    """Melting at night (valley tariff, no inspections) inside a legitimate daytime business."""
    site = _cover(str(rng.choice(COVERS)), ctx, rng)
    furnaces, twin = _shop(rng)
    days = rng.random(ctx.n_days) < rng.uniform(0.5, 0.95)
    heats = melt_days(ctx, rng, furnaces, twin, site.kw, days, (21.5, 25.0), (4.5, 8))
    return Site(kw=site.kw, heats=heats, utilisation=(0.55, 1.05))


def foundry_over_registered(ctx: Context, rng: np.random.Generator) -> Site:
    """A registered foundry melting with several times its registered furnace power (unregistered extra
    furnaces or a bigger supply on the registered crucible), round the clock: the furnaces are staggered
    so the load seldom falls to the floor."""
    registered = log_uniform(rng, 160, 1500)
    target = registered * rng.uniform(2.0, 5.0)
    n_f = int(rng.integers(2, 5))
    furnaces = [
        random_furnace(rng, f"F{i + 1}", rated_kw=target / n_f * rng.uniform(0.8, 1.2)) for i in range(n_f)
    ]
    twin = bool(rng.random() < 0.3)
    kw = np.zeros(ctx.n)
    days = rng.random(ctx.n_days) < rng.uniform(0.75, 1.0)
    heats = melt_days(ctx, rng, furnaces, twin, kw, days, (0.0, 1.0), (21, 23.5))
    kw += registered * rng.uniform(0.3, 0.8) * (1 + 0.3 * np.sin(2 * np.pi * ctx.mod / MIN_PER_DAY))
    return Site(kw=kw, registered_furnace_kw=round(registered, -1), heats=heats, utilisation=(0.6, 1.0))


def furnace_parttime_coldstore(ctx: Context, rng: np.random.Generator) -> Site:
    """A cold store whose back room holds a furnace used only a few nights in the month."""
    site = oth.cold_store(ctx, rng, p=log_uniform(rng, 60, 800))
    furnaces, twin = _shop(rng, count=(1, 2), capacity_t=(0.5, 3.0))
    window = _window_days(ctx)
    days = np.zeros(ctx.n_days, bool)
    days[rng.choice(window, min(len(window), int(rng.integers(2, 7))), replace=False)] = True
    heats = melt_days(ctx, rng, furnaces, twin, site.kw, days, (22, 25), (2.5, 6))
    return Site(kw=site.kw, heats=heats, utilisation=(0.55, 1.05))


def closed_resurgence(ctx: Context, rng: np.random.Generator) -> Site:
    """死灰复燃: a closed site (closed_on set) that starts melting again in the window with a small furnace,
    a few sessions, mostly at night."""
    site = oth.closed_dormant(ctx, rng)
    furnaces, twin = _shop(rng, count=(1, 1), capacity_t=(0.25, 1.5))
    window = _window_days(ctx)
    first = int(rng.choice(window[: max(1, len(window) - 3)]))
    days = np.zeros(ctx.n_days, bool)
    days[first:] = rng.random(ctx.n_days - first) < rng.uniform(0.15, 0.8)
    days[first] = True
    night = rng.random() < 0.75
    heats = melt_days(ctx, rng, furnaces, twin, site.kw, days, (21.5, 25.0) if night else (7, 10), (2, 7))
    site.heats = heats
    return site


MASKS = ("rolling_mill", "welding_shop", "plastics_injection", "continuous_process", "induction_forging")


def furnace_masked_variable(ctx: Context, rng: np.random.Generator) -> Site:
    """A furnace melting during the working day of a legitimate variable load (rolling, welding, moulding,
    a process line, forging) whose peak is 1.5-4 times its power, so the melt's plateaus ride on the noise."""
    cover = _cover(str(rng.choice(MASKS)), ctx, rng)
    furnaces, twin = _shop(rng, count=(1, 2))
    scale = sum(f.rated_kw for f in furnaces) * rng.uniform(1.5, 4.0) / max(np.quantile(cover.kw, 0.99), 1.0)
    kw = cover.kw * scale
    days = rng.random(ctx.n_days) < rng.uniform(0.5, 0.9)
    heats = melt_days(ctx, rng, furnaces, twin, kw, days, (8, 10), (6, 12))
    return Site(kw=kw, heats=heats, utilisation=(0.55, 1.0))
