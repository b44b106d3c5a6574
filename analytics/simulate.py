"""Labelled synthetic meter data: legitimate loads and illegal induction-furnace melting (see docs/simulator.md).

`simulate(...)` is pure and returns polars DataFrames; `main(argv)` is the `steelwatch simulate` command.
"""

import argparse
import datetime as dt
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from analytics.sim_physics import (
    STEP_H,
    STEPS_PER_DAY,
    Calendar,
    Furnace,
    ar1_noise,
    contracted_kva,
    daily_times,
    daily_window,
    furnace_kw,
    interval_mean_kw,
    load_real_kw,
    log_uniform,
    random_runs,
    working_days,
)

# Real legitimate load (UCI 851, CC BY 4.0): see analytics/data/README.md.
DEFAULT_REAL = Path(__file__).resolve().parent / "data" / "steel_industry_uci_daewoo_2018.csv"

INDUSTRIES = {
    "machining": ["机械加工", "五金加工", "汽车零部件制造", "金属制品加工", "模具加工", "机械设备制造"],
    "compressed_air": ["注塑制品", "纺织", "机械加工", "包装印刷", "电子元件制造", "食品加工"],
    "heating": ["电蓄热供暖", "学校", "商业综合体", "医院", "供热站", "机关办公"],
    "heat_treatment": ["热处理", "金属热处理", "锻造热处理", "轴承热处理"],
    "rolling": ["轧钢", "型钢轧制", "钢材加工", "冷轧带钢"],
    "cold": ["冷库仓储", "冷链物流", "食品加工", "水产冷冻"],
    "commercial": ["商业综合体", "商场", "酒店", "写字楼"],
    "foundry": ["铸造", "铸铁件铸造", "精密铸造", "阀门铸造", "机械铸件"],
    "steel_products": ["钢材加工", "轧钢", "钢板加工", "金属制品"],
    "small_workshop": ["五金加工", "机械加工", "仓储", "农机修理", "废旧金属回收", "建材"],
    "former": ["铸造", "轧钢", "机械加工", "废旧金属回收", "仓储", "五金加工"],
}


@dataclass
class Sites:
    """Accounts of one kind: true mean kW per interval and what the ledger says about them."""

    kw: np.ndarray  # (n, steps)
    industry: np.ndarray  # (n,) str
    sized_for_kw: np.ndarray | None = None  # load the transformer was sized for; default the observed peak
    registered_furnace_kw: np.ndarray | float = 0.0
    site_status: np.ndarray | str = "operating"

    def ledger(self, rng: np.random.Generator) -> pl.DataFrame:
        """The accounts table rows (without ids)."""
        n = len(self.kw)
        sized_for = self.kw.max(axis=1) if self.sized_for_kw is None else self.sized_for_kw
        return pl.DataFrame(
            {
                "contracted_kva": contracted_kva(rng, np.maximum(sized_for, 10)),
                "industry": self.industry,
                "registered_furnace_kw": np.broadcast_to(self.registered_furnace_kw, n),
                "site_status": np.broadcast_to(self.site_status, n),
            },
            schema={
                "contracted_kva": pl.Int64,
                "industry": pl.String,
                "registered_furnace_kw": pl.Float64,
                "site_status": pl.String,
            },
        )


@dataclass
class Context:
    rng: np.random.Generator
    cal: Calendar
    real_kw: np.ndarray | None

    def industry(self, group: str, n: int) -> np.ndarray:
        return self.rng.choice(INDUSTRIES[group], n)

    def times(
        self,
        n: int,
        start: tuple[float, float],
        length: tuple[float, float],
        active: np.ndarray,
        jitter_h: float = 0.25,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Daily (start, length) from per-account base values drawn uniformly in the given ranges."""
        rng = self.rng
        return daily_times(
            rng, self.cal.days, rng.uniform(*start, n), rng.uniform(*length, n), active, jitter_h
        )

    def new_furnaces(self, capacity_t: Sequence[float] = (), rated_kw: Sequence[float] = ()) -> list[Furnace]:
        return [Furnace.random(self.rng, capacity_t=c) for c in capacity_t] + [
            Furnace.random(self.rng, rated_kw=r) for r in rated_kw
        ]

    def melt(self, furnace: Furnace, start: np.ndarray, length: np.ndarray) -> np.ndarray:
        """(steps,) kW of a furnace melting on daily shifts (start, length: (days,) hours)."""
        return furnace_kw(self.rng, furnace, np.arange(self.cal.days) * 24 + start, length, self.cal.steps)[0]

    def furnaces(self, furnaces: list[Furnace], start: np.ndarray, length: np.ndarray) -> np.ndarray:
        """(n, steps) kW of one furnace per account."""
        rows = [self.melt(*args) for args in zip(furnaces, start, length, strict=True)]
        return np.stack(rows) if rows else np.zeros((0, self.cal.steps))

    def night_furnaces(self, furnaces: list[Furnace], active: np.ndarray) -> np.ndarray:
        """Furnaces melting on night shifts starting 19:00–24:00, 4–10 h, over before the day shift."""
        start, length = self.times(len(furnaces), (19, 24), (4, 10), active, jitter_h=0.4)
        return self.furnaces(furnaces, start, np.minimum(length, 31 - start))

    def active_nights(self, n: int, share: tuple[float, float]) -> np.ndarray:
        return self.rng.random((n, self.cal.days)) < self.rng.uniform(*share, (n, 1))


# --- legitimate loads ---------------------------------------------------------------------------------


def machining_load(ctx: Context, n: int, peak_kw: tuple[float, float] = (40, 1500)) -> np.ndarray:
    """Day shift (sometimes two shifts) of machine tools, a lunch dip, weekends mostly off, small base."""
    rng, cal = ctx.rng, ctx.cal
    peak = log_uniform(rng, *peak_kw, (n, 1))
    base = peak * rng.uniform(0.03, 0.12, (n, 1))
    active = working_days(rng, cal, n, p_saturday=0.5, p_sunday=0.1)
    start, length = ctx.times(n, (7, 9), (8, 10.5), active)
    length = np.where(rng.random((n, 1)) < 0.25, length * 1.6, length)  # a second shift till ~23:00
    lunch = daily_window(*ctx.times(n, (11.5, 12.25), (0.75, 1.25), active, jitter_h=0.1))
    level = np.clip(
        rng.uniform(0.6, 0.9, (n, 1)) + ar1_noise(rng, n, cal.steps, rng.uniform(0.05, 0.2, n)), 0.15, 1
    )
    shift = daily_window(start, length) * (1 - rng.uniform(0, 0.6, (n, 1)) * lunch)
    return base + (peak - base) * shift * level


def machining_day_shift(ctx: Context, n: int) -> Sites:
    return Sites(machining_load(ctx, n), ctx.industry("machining", n))


def air_compressor_plant(ctx: Context, n: int) -> Sites:
    """1–4 screw compressors cycling load/unload every few minutes; a 15-min mean is their duty cycle."""
    rng, cal = ctx.rng, ctx.cal
    compressors = log_uniform(rng, 22, 250, (n, 4, 1)) * (
        np.arange(4)[None, :, None] < rng.integers(1, 5, (n, 1, 1))
    )
    around_clock = rng.random(n) < 0.4
    active = working_days(rng, cal, n, 0.6, 0.3) | around_clock[:, None]
    start, length = ctx.times(n, (6.5, 8.5), (14, 16.5), active)
    on = np.where(around_clock[:, None], 1.0, daily_window(start, length))
    demand = np.clip(on * rng.uniform(0.45, 0.85, (n, 1)) + rng.uniform(0.02, 0.15, (n, 1)), 0.01, 0.99)[
        :, None, :
    ]
    sharpness = rng.uniform(3, 10, (n, 1, 1))
    duty = rng.beta(demand * sharpness, (1 - demand) * sharpness)
    running = np.maximum(on[:, None, :], rng.random(duty.shape) < 0.3)  # off shift: leak top-ups only
    air = (compressors * running * (0.3 + 0.7 * duty)).sum(axis=1)
    machines = compressors.sum(axis=1) * rng.uniform(0.1, 0.6, (n, 1)) * on
    return Sites(air + machines, ctx.industry("compressed_air", n))


def heat_storage_boiler(ctx: Context, n: int) -> Sites:
    """Electric boilers charging a heat store in the valley tariff, 22:00/23:00 for ~8 h every night;
    stages switch off one by one as the store fills (less on mild nights). Circulation pumps by day."""
    rng, cal = ctx.rng, ctx.cal
    rated = log_uniform(rng, 300, 6000, (n, 1))
    stages = rng.integers(1, 7, n)
    timer = rng.choice([22.0, 23.0], n) + rng.uniform(0, 0.25, n)
    start, night_len = daily_times(rng, cal.days, timer, rng.uniform(7.5, 8, n), True, jitter_h=0.02)
    cold = np.clip(rng.uniform(0.6, 1.0, (n, 1)) + ar1_noise(rng, n, cal.days, 0.15, rho=0.8), 0.3, 1.0)
    kw = np.zeros((n, cal.steps))
    for j in range(stages.max()):
        used = (j < stages)[:, None]
        spread = (j - (stages[:, None] - 1) / 2) * rng.uniform(0.03, 0.12, (n, 1))
        length = night_len * np.clip(cold - spread, 0.1, 1.0) * used
        kw += rated / stages[:, None] * daily_window(start, length)
    return Sites(kw + rated * rng.uniform(0.01, 0.03, (n, 1)), ctx.industry("heating", n))


def heat_treatment(ctx: Context, n: int) -> Sites:
    """1–4 batch furnaces: heat-up at full power 1–3 h, soak at 25–50 % for 2–10 h, unload/cool 0.5–6 h."""
    rng, cal = ctx.rng, ctx.cal

    def furnace(rated: float) -> np.ndarray:
        cycles = int(cal.days * 24 / 3.5) + 2
        heat, soak, cool = rng.uniform(1, 3, cycles), rng.uniform(2, 10, cycles), rng.uniform(0.5, 6, cycles)
        begin = rng.uniform(-12, 0) + np.cumsum(heat + soak + cool) - (heat + soak + cool)
        soak_kw = rated * rng.uniform(0.25, 0.5) * rng.normal(1, 0.04, cycles)
        return interval_mean_kw(
            np.concatenate([begin, begin + heat]),
            np.concatenate([heat, soak]),
            np.concatenate([np.full(cycles, rated), soak_kw]),
            cal.steps,
        )

    count = rng.integers(1, 5, n)
    kw = np.stack([sum(furnace(log_uniform(rng, 60, 800, 1)[0]) for _ in range(k)) for k in count])
    weekend_stop = (rng.random((n, 1)) < 0.3) & (cal.weekday == 6)[None, :]
    kw = kw * np.repeat(~weekend_stop, STEPS_PER_DAY, axis=1)
    return Sites(kw * (1 + rng.uniform(0.05, 0.1, (n, 1))), ctx.industry("heat_treatment", n))


def rolling_mill(ctx: Context, n: int) -> Sites:
    """Mill motors: spiky load while bars pass, roll-change stops, 24 h or two shifts, a weekly stop day."""
    rng, cal = ctx.rng, ctx.cal
    rated = log_uniform(rng, 500, 8000, (n, 1))
    around_clock = rng.random(n) < 0.6
    stop_day = cal.weekday[None, :] == rng.integers(0, 7, (n, 1))
    start, length = ctx.times(n, (7, 8.5), (15, 17), ~stop_day)
    on = np.where(
        around_clock[:, None], np.repeat(~stop_day, STEPS_PER_DAY, axis=1), daily_window(start, length)
    )
    shape = rng.uniform(3, 8, (n, 1))
    rolling = np.clip(rng.gamma(shape, rng.uniform(0.5, 0.7, (n, 1)) / shape, (n, cal.steps)), 0.05, 1.1)
    roll_change = random_runs(rng, (n, cal.steps), rng.uniform(0.05, 0.15, n), 3)
    load = np.where(roll_change, 0.1, rolling)
    return Sites(rated * (rng.uniform(0.04, 0.1, (n, 1)) + on * load), ctx.industry("rolling", n))


def cold_storage(ctx: Context, n: int) -> Sites:
    """Refrigeration around the clock, warmer afternoons, defrost cycles every 4–12 h (compressors stop,
    heaters on)."""
    rng, cal = ctx.rng, ctx.cal
    rated = log_uniform(rng, 80, 2000, (n, 1))
    phase = 2 * np.pi * (cal.hour[None, :] - rng.uniform(13, 16, (n, 1))) / 24
    level = rng.uniform(0.45, 0.75, (n, 1)) + rng.uniform(0.05, 0.15, (n, 1)) * np.cos(phase)
    level = level + ar1_noise(rng, n, cal.steps, rng.uniform(0.02, 0.06, n), rho=0.5)
    period = rng.choice([4.0, 6.0, 8.0, 12.0], (n, 1))
    first = rng.uniform(0, 1, (n, 1)) * period
    duration = daily_times(rng, cal.days, 0, rng.uniform(20, 45, n) / 60, True, jitter_h=0.02)[1]
    defrost = sum(daily_window(first + j * period, duration * (j * period < 24)) for j in range(6))
    level = level * (1 - defrost * rng.uniform(0.3, 0.6, (n, 1))) + defrost * rng.uniform(0.05, 0.15, (n, 1))
    return Sites(rated * np.clip(level, 0.05, 1.1), ctx.industry("cold", n))


def commercial(ctx: Context, n: int) -> Sites:
    """Lighting and air conditioning: opening hours ~9–22 h with a pre-cooling ramp, busier weekends."""
    rng, cal = ctx.rng, ctx.cal
    rated = log_uniform(rng, 200, 6000, (n, 1))
    open_h, hours = ctx.times(n, (8, 10), (11.5, 14), True, jitter_h=0.1)
    weekend = 1 + rng.uniform(0, 0.3, (n, 1)) * np.repeat(cal.weekday[None, :] >= 5, STEPS_PER_DAY, axis=1)
    busy = 0.8 * daily_window(open_h, hours) * weekend + 0.2 * daily_window(open_h + 4, hours / 3)
    precool = 0.4 * daily_window(open_h - 1, 1)
    base = rng.uniform(0.15, 0.35, (n, 1))
    level = (base + (1 - base) * (busy + precool)) * (1 + ar1_noise(rng, n, cal.steps, 0.03))
    return Sites(rated * np.clip(level, 0.05, 1.4), ctx.industry("commercial", n))


def registered_furnaces(
    ctx: Context, n: int, count: tuple[int, int] = (1, 4), capacity_t: tuple[float, float] = (0.5, 5)
) -> list[list[Furnace]]:
    """Each foundry's registered furnaces."""
    return [ctx.new_furnaces(log_uniform(ctx.rng, *capacity_t, k)) for k in ctx.rng.integers(*count, n)]


def total_rated(sites: list[list[Furnace]]) -> np.ndarray:
    return np.array([sum(f.rated_kw for f in furnaces) for furnaces in sites])


def foundry_melting(ctx: Context, sites: list[list[Furnace]], start: tuple, length: tuple) -> np.ndarray:
    """(n, steps) kW of the furnaces (the first on every shift, others on ~70 %) plus moulding/fettling."""
    rng, n = ctx.rng, len(sites)
    day_start, day_length = ctx.times(n, start, length, working_days(rng, ctx.cal, n, 0.6, 0.1))
    kw = np.zeros((n, ctx.cal.steps))
    for i, furnaces in enumerate(sites):
        for k, furnace in enumerate(furnaces):
            if k == 0 or rng.random() < 0.7:
                kw[i] += ctx.melt(furnace, day_start[i], day_length[i])
    workshop = total_rated(sites)[:, None] * rng.uniform(0.05, 0.2, (n, 1))
    return kw + daily_window(day_start, day_length + 1) * workshop


def foundry_kind(start: tuple, length: tuple) -> Callable[[Context, int], Sites]:
    """Registered foundries melting within their registered furnace kW on shifts starting in `start`."""

    def make(ctx: Context, n: int) -> Sites:
        sites = registered_furnaces(ctx, n)
        registered = total_rated(sites)
        kw = foundry_melting(ctx, sites, start, length)
        return Sites(kw, ctx.industry("foundry", n), registered * 1.2, registered)

    return make


def standby_load(ctx: Context, n: int) -> np.ndarray:
    """Idle site: a few kW of security, lighting at night, the odd maintenance day."""
    rng, cal = ctx.rng, ctx.cal
    standby = log_uniform(rng, 0.5, 8, (n, 1))
    lights = daily_window(*ctx.times(n, (17.5, 19), (10, 12), True))
    maintenance = rng.random((n, cal.days)) < 2 / 30
    work = daily_window(*ctx.times(n, (8, 9), (4, 8), maintenance)) * log_uniform(rng, 5, 40, (n, 1))
    return (
        standby * (1 + rng.uniform(0.5, 2, (n, 1)) * lights)
        + work
        + ar1_noise(rng, n, cal.steps, standby[:, 0] * 0.1)
    )


def dead_meter(ctx: Context, n: int) -> np.ndarray:
    """Closed site: exact zeros or a meter's noise floor."""
    noise = ctx.rng.uniform(0.01, 0.3, (n, 1)) * (ctx.rng.random((n, 1)) < 0.4)
    return np.abs(ctx.rng.normal(0, 1, (n, ctx.cal.steps))) * noise


def former_load(ctx: Context, n: int) -> np.ndarray:
    return log_uniform(ctx.rng, 80, 3000, n)


def idle_site(ctx: Context, n: int) -> Sites:
    return Sites(standby_load(ctx, n), ctx.industry("former", n), former_load(ctx, n), site_status="idle")


def closed_site(ctx: Context, n: int) -> Sites:
    return Sites(dead_meter(ctx, n), ctx.industry("former", n), former_load(ctx, n), site_status="closed")


def real_windows(ctx: Context, n: int) -> np.ndarray:
    """(n, steps) random windows of the real plant (start day random, ±1 h jitter), not yet scaled."""
    real, steps = ctx.real_kw, ctx.cal.steps
    reps = int(np.ceil((steps + 2 * STEPS_PER_DAY) / len(real))) + 1
    real = np.tile(real, reps)
    last_day = (len(real) - steps) // STEPS_PER_DAY - 1
    first = ctx.rng.integers(1, last_day, n) * STEPS_PER_DAY + ctx.rng.integers(-4, 5, n)
    return real[first[:, None] + np.arange(steps)]


def real_background(ctx: Context, n: int) -> Sites:
    kw = real_windows(ctx, n) * log_uniform(ctx.rng, 0.3, 5, (n, 1))
    return Sites(kw, ctx.industry("steel_products", n))


# --- illegal melting ----------------------------------------------------------------------------------


def small_shop_capacity(rng: np.random.Generator, n: int) -> np.ndarray:
    """Mostly 1–5 t, sometimes smaller or bigger (0.5–10 t)."""
    return np.where(rng.random(n) < 0.8, log_uniform(rng, 1, 5, n), log_uniform(rng, 0.5, 10, n))


def sometimes_undersized(rng: np.random.Generator, peak_kw: np.ndarray) -> np.ndarray:
    """Load an illegal site's transformer was sized for: usually its real peak, but 40 % run an
    overloaded transformer (contracted for 40–85 % of the peak) rather than apply for more capacity."""
    n = len(peak_kw)
    return peak_kw * np.where(rng.random(n) < 0.4, rng.uniform(0.4, 0.85, n), 1.0)


def night_furnace_behind_machining(ctx: Context, n: int) -> Sites:
    cover = machining_load(ctx, n)
    furnaces = ctx.new_furnaces(small_shop_capacity(ctx.rng, n))
    kw = cover + ctx.night_furnaces(furnaces, ctx.active_nights(n, (0.4, 1.0)))
    return Sites(kw, ctx.industry("machining", n), sometimes_undersized(ctx.rng, kw.max(1)))


def foundry_over_capacity(ctx: Context, n: int) -> Sites:
    """A foundry registered for small furnaces (0.3–1.5 t) that either melts with furnaces of 2–5× the
    registered kW (by day or by night) or adds unregistered ones (1.5–4× registered) on night shifts."""
    rng = ctx.rng
    sites = registered_furnaces(ctx, n, (1, 3), (0.3, 1.5))
    registered = total_rated(sites)
    kw = np.zeros((n, ctx.cal.steps))

    bigger = rng.random(n) < 0.5
    m = int(bigger.sum())
    start, length = ctx.times(m, (7, 9), (5, 10), working_days(rng, ctx.cal, m, 0.6, 0.2))
    start = np.where(rng.random((m, 1)) < 0.5, start + 13, start)
    big = ctx.new_furnaces(rated_kw=np.minimum(registered[bigger] * rng.uniform(2, 5, m), 10_000))
    kw[bigger] = ctx.furnaces(big, start, length)

    extra = np.nonzero(~bigger)[0]
    unregistered = ctx.new_furnaces(rated_kw=registered[extra] * rng.uniform(1.5, 4, len(extra)))
    kw[extra] = foundry_melting(ctx, [sites[i] for i in extra], (7, 9), (5, 10))
    kw[extra] += ctx.night_furnaces(unregistered, ctx.active_nights(len(extra), (0.5, 1.0)))
    return Sites(kw, ctx.industry("foundry", n), sometimes_undersized(rng, kw.max(1)), registered)


def intermittent_nights(ctx: Context, n: int) -> Sites:
    """A workshop (or a site reported idle) melting on only 2–6 nights per 30 days."""
    rng, days = ctx.rng, ctx.cal.days
    reported_idle = rng.random(n) < 0.3
    cover = np.where(reported_idle[:, None], standby_load(ctx, n), machining_load(ctx, n, (20, 300)))
    nights = np.maximum(1, np.round(rng.integers(2, 7, n) * days / 30)).astype(int)
    active = np.argsort(rng.random((n, days)), axis=1) < nights[:, None]
    kw = cover + ctx.night_furnaces(ctx.new_furnaces(log_uniform(rng, 0.5, 5, n)), active)
    return Sites(
        kw,
        ctx.industry("small_workshop", n),
        sometimes_undersized(rng, kw.max(1)),
        site_status=np.where(reported_idle, "idle", "operating"),
    )


def closed_site_revival(ctx: Context, n: int) -> Sites:
    """A closed site's meter comes back: a furnace (0.5–10 t) on nights or any hour, for 1 day to the rest
    of the period."""
    rng, days = ctx.rng, ctx.cal.days
    first = rng.integers(0, max(days - 1, 1), n)
    span = np.ceil(log_uniform(rng, 1, days - first + 0.99, n)).astype(int)
    day = np.arange(days)[None, :]
    active = (day >= first[:, None]) & (day < (first + span)[:, None]) & ctx.active_nights(n, (0.6, 1.0))
    active[np.arange(n), first] = True
    start, length = ctx.times(n, (0, 24), (3, 12), active, jitter_h=0.5)
    night = rng.random(n) < 0.6
    start = np.where(night[:, None], 19 + start / 6, start)  # night ones start 19:00–23:00
    kw = dead_meter(ctx, n) + ctx.furnaces(ctx.new_furnaces(log_uniform(rng, 0.5, 10, n)), start, length)
    return Sites(kw, ctx.industry("former", n), sometimes_undersized(rng, kw.max(1)), site_status="closed")


def hidden_under_real(ctx: Context, n: int) -> Sites:
    """A furnace on top of a real plant's load, its rated kW 0.15–3× the background's peak."""
    rng = ctx.rng
    background = real_windows(ctx, n)
    capacity = log_uniform(rng, 0.5, 5, n)
    ratio = log_uniform(rng, 0.15, 3, n)
    scale = np.clip(capacity * 750 / (ratio * background.max(axis=1)), 0.3, 5)  # 750 kW/t: typical density
    active = ctx.active_nights(n, (0.4, 1.0))
    by_day = rng.random(n) < 0.3
    start, length = ctx.times(n, (19, 24), (4, 10), active, jitter_h=0.4)
    start = np.where(by_day[:, None], start - 12, start)
    kw = background * scale[:, None] + ctx.furnaces(
        ctx.new_furnaces(capacity), start, np.minimum(length, 31 - start)
    )
    return Sites(kw, ctx.industry("steel_products", n), sometimes_undersized(rng, kw.max(1)))


def foundry_round_the_clock(ctx: Context, n: int) -> Sites:
    """A foundry registered for small furnaces (0.3–1.5 t) that melts around the clock with 2.5–6× the
    registered kW: campaigns of 2–10 days without a stop (half of them), or 20–23 h a day, most days."""
    rng, cal = ctx.rng, ctx.cal
    sites = registered_furnaces(ctx, n, (1, 3), (0.3, 1.5))
    registered = total_rated(sites)
    furnaces = ctx.new_furnaces(rated_kw=np.minimum(registered * rng.uniform(2.5, 6, n), 12_000))
    kw = np.zeros((n, cal.steps))
    campaign = rng.random(n) < 0.5
    for i, furnace in enumerate(furnaces):
        if campaign[i]:
            starts, lengths, day = [], [], rng.uniform(0, 2)
            while day < cal.days - 1:
                span = rng.uniform(2, 10)
                starts.append(day * 24 + rng.uniform(0, 3))
                lengths.append(min(span, cal.days - day) * 24 - 4)
                day += span + rng.uniform(0.5, 2)
            kw[i] = furnace_kw(rng, furnace, np.array(starts), np.maximum(np.array(lengths), 4), cal.steps)[0]
        else:
            active = rng.random(cal.days) < rng.uniform(0.7, 0.95)
            start = rng.uniform(0, 2, cal.days)
            length = np.where(active, rng.uniform(20, 22.5, cal.days), 0)
            kw[i] = furnace_kw(rng, furnace, np.arange(cal.days) * 24 + start, length, cal.steps)[0]
    workshop = registered[:, None] * rng.uniform(0.05, 0.3, (n, 1)) * (1 + ar1_noise(rng, n, cal.steps, 0.1))
    return Sites(kw + workshop, ctx.industry("foundry", n), sometimes_undersized(rng, kw.max(1)), registered)


def cold_store_part_time_furnace(ctx: Context, n: int) -> Sites:
    """A furnace (0.5–3 t) melting on 2–5 nights a month behind a cold store's round-the-clock load."""
    rng, days = ctx.rng, ctx.cal.days
    cover = cold_storage(ctx, n)
    nights = np.maximum(1, np.round(rng.integers(2, 6, n) * days / 30)).astype(int)
    active = np.argsort(rng.random((n, days)), axis=1) < nights[:, None]
    kw = cover.kw + ctx.night_furnaces(ctx.new_furnaces(log_uniform(rng, 0.5, 3, n)), active)
    return Sites(kw, cover.industry, sometimes_undersized(rng, kw.max(1)))


def continuous_process(ctx: Context, n: int) -> Sites:
    """Cement-like continuous process (kiln, mills, fans) around the clock at 70–95 % of rated, with short
    dropouts (a mill or fan tripping and restarting: 5–40 min down to 20–70 %), now and then in bursts of
    3–7 trips 40–120 min apart while a fault is chased, and a stop of a day or two for maintenance."""
    rng, cal = ctx.rng, ctx.cal
    rated = log_uniform(rng, 800, 15_000, (n, 1))
    level = rng.uniform(0.7, 0.95, (n, 1)) + ar1_noise(rng, n, cal.steps, rng.uniform(0.01, 0.04, n), rho=0.9)
    minute = np.ones((n, cal.steps * 15))
    for i in range(n):
        trips = list(rng.uniform(0, cal.steps * 15, rng.poisson(rng.uniform(0.5, 3) * cal.days)))
        for _ in range(rng.poisson(rng.uniform(0.2, 1.5) * cal.days / 30)):  # bursts of trips
            t, gap = rng.uniform(0, cal.steps * 15), rng.uniform(40, 120)
            trips += [t + k * gap * rng.uniform(0.9, 1.1) for k in range(rng.integers(3, 8))]
        for t in trips:
            a, b = int(t), int(t + rng.uniform(5, 40))
            minute[i, a:b] = np.minimum(minute[i, a:b], rng.uniform(0.2, 0.7))
        if rng.random() < 0.5:  # a maintenance stop
            a = int(rng.uniform(0, cal.steps * 15))
            minute[i, a : a + int(rng.uniform(12, 48) * 60)] = rng.uniform(0.03, 0.1)
    share = minute.reshape(n, cal.steps, 15).mean(axis=2)
    return Sites(
        rated * np.clip(level, 0.3, 1.05) * share, rng.choice(["水泥", "水泥粉磨", "玻璃", "化工"], n)
    )


@dataclass(frozen=True)
class Kind:
    name: str
    label: int
    weight: float
    make: Callable[[Context, int], Sites]
    needs_real: bool = False


KINDS = [
    Kind("machining_day_shift", 0, 1.0, machining_day_shift),
    Kind("air_compressor_plant", 0, 1.0, air_compressor_plant),
    Kind("heat_storage_boiler", 0, 1.0, heat_storage_boiler),
    Kind("heat_treatment", 0, 1.0, heat_treatment),
    Kind("rolling_mill", 0, 1.0, rolling_mill),
    Kind("cold_storage", 0, 1.0, cold_storage),
    Kind("commercial", 0, 1.0, commercial),
    Kind("foundry_day_shift", 0, 1.0, foundry_kind((7, 9), (5, 10))),
    Kind("foundry_valley_tariff", 0, 0.4, foundry_kind((22, 23.5), (5, 8))),
    Kind("idle_site", 0, 0.6, idle_site),
    Kind("closed_site", 0, 0.6, closed_site),
    Kind("real_background", 0, 2.0, real_background, needs_real=True),
    Kind("continuous_process", 0, 1.0, continuous_process),
    Kind("night_furnace_behind_machining", 1, 1.0, night_furnace_behind_machining),
    Kind("foundry_over_capacity", 1, 1.0, foundry_over_capacity),
    Kind("intermittent_nights", 1, 1.0, intermittent_nights),
    Kind("closed_site_revival", 1, 1.0, closed_site_revival),
    Kind("hidden_under_real", 1, 1.0, hidden_under_real, needs_real=True),
    Kind("foundry_round_the_clock", 1, 1.0, foundry_round_the_clock),
    Kind("cold_store_part_time_furnace", 1, 1.0, cold_store_part_time_furnace),
]


def allocate(total: int, weights: np.ndarray) -> np.ndarray:
    """Split `total` by weights (largest remainder), giving every kind at least one when possible."""
    if total <= 0 or len(weights) == 0:
        return np.zeros(len(weights), int)
    floor = min(1, total // len(weights))
    share = floor + weights / weights.sum() * (total - floor * len(weights))
    counts = np.floor(share).astype(int)
    counts[np.argsort(counts - share)[: total - counts.sum()]] += 1
    return counts


# --- meter quirks -------------------------------------------------------------------------------------


def meter_readings(
    rng: np.random.Generator, cal: Calendar, account_ids: np.ndarray, kw: np.ndarray
) -> pl.DataFrame:
    """Long readings as a meter data system delivers them: ±1–3 % noise, rare negative/absurd values and
    nulls, missing intervals (0.5–2 %) and whole days, duplicate rows, rows shuffled in chunks."""
    n, steps = kw.shape
    kw = np.maximum(kw, 0) * (1 + rng.normal(0, 1, kw.shape) * rng.uniform(0.005, 0.015, (n, 1)))
    odd = rng.random(kw.shape) < rng.uniform(0, 2e-4, (n, 1))
    absurd = rng.random(kw.shape) < 0.5
    kw = np.where(odd & absurd, kw * rng.uniform(50, 1000, kw.shape) + 1e4, kw)
    kw = np.where(odd & ~absurd, -np.maximum(kw, 1) * rng.uniform(0.5, 2, kw.shape), kw).round(3)
    kw[rng.random(kw.shape) < rng.uniform(0, 0.002, (n, 1))] = np.nan

    missing = random_runs(rng, kw.shape, rng.uniform(0.005, 0.02, n), 2.0)
    lost_days = rng.random((n, cal.days)) < rng.uniform(0, 1.2, (n, 1)) / 30
    missing |= np.repeat(lost_days, STEPS_PER_DAY, axis=1)

    order = rng.permutation(n)  # accounts come in no particular order
    acc, step = np.nonzero(~missing[order])
    acc = order[acc]
    values = kw[acc, step]
    position = np.arange(len(acc), dtype=float)
    dup = np.nonzero(rng.random(len(acc)) < 0.005)[0]
    later = np.where(rng.random(len(dup)) < 0.5, 0.5, rng.uniform(1, 500, len(dup)))
    reread = np.where(rng.random(len(dup)) < 0.2, rng.uniform(0.95, 1.05, len(dup)), 1.0)
    rows = np.argsort(np.concatenate([position, dup + later]), kind="stable")
    acc = np.concatenate([acc, acc[dup]])[rows]
    step = np.concatenate([step, step[dup]])[rows]
    values = np.concatenate([values, values[dup] * reread])[rows]

    chunk = np.searchsorted(
        np.cumsum(rng.geometric(1 / 200, len(rows) // 100 + 1)), np.arange(len(rows)), "right"
    )
    chunk_order = np.arange(chunk.max(initial=0) + 1)
    moved = np.nonzero(rng.random(len(chunk_order)) < 0.1)[0]
    chunk_order[moved] = rng.permutation(moved)  # about one chunk in ten swaps places with another
    rows = np.argsort(chunk_order[chunk], kind="stable")

    start = dt.datetime.combine(cal.start, dt.time())
    ts = pl.Series("ts", step[rows].astype(np.int64) * int(STEP_H * 3600e6)).cast(pl.Duration("us")) + start
    return pl.DataFrame(
        {
            "account_id": pl.Series(account_ids, dtype=pl.String).gather(acc[rows]),
            "ts": ts,
            "kw": pl.Series(values[rows], nan_to_null=True),
        }
    )


def simulate(
    accounts: int,
    days: int,
    seed: int = 0,
    start: dt.date = dt.date(2026, 1, 1),
    real_kw: np.ndarray | None = None,
    prevalence: float = 0.2,
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """(readings, accounts, labels) for `accounts` sites over `days` days; deterministic for a seed.
    Kinds needing the real load are left out when `real_kw` is None."""
    cal = Calendar(start, days)
    kinds = [k for k in KINDS if real_kw is not None or not k.needs_real]
    illegal = round(accounts * prevalence)
    counts = np.zeros(len(kinds), int)
    for label, total in ((0, accounts - illegal), (1, illegal)):
        idx = [i for i, k in enumerate(kinds) if k.label == label]
        counts[idx] = allocate(total, np.array([kinds[i].weight for i in idx]))

    streams = np.random.SeedSequence(seed).spawn(len(KINDS) + 1)
    rng = np.random.default_rng(streams[-1])
    ids = np.char.add("33", np.char.zfill(rng.choice(10**8, accounts, replace=False).astype(str), 8))
    kw_parts, ledger, labels = [], [], []
    for kind, n in zip(kinds, counts, strict=True):
        if n == 0:
            continue
        ctx = Context(np.random.default_rng(streams[KINDS.index(kind)]), cal, real_kw)
        sites = kind.make(ctx, int(n))
        kw_parts.append(sites.kw)
        ledger.append(sites.ledger(ctx.rng))
        labels.append(pl.DataFrame({"label": np.full(n, kind.label), "kind": np.full(n, kind.name)}))

    kw = np.concatenate(kw_parts)
    accounts_df = pl.concat(ledger).insert_column(0, pl.Series("account_id", ids)).sort("account_id")
    labels_df = pl.concat(labels).insert_column(0, pl.Series("account_id", ids)).sort("account_id")
    return meter_readings(rng, cal, ids, kw), accounts_df, labels_df


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="steelwatch simulate", description="生成带标签的模拟电表数据（地条钢检测评估用）"
    )
    parser.add_argument("--accounts", type=int, required=True, help="户数")
    parser.add_argument("--days", type=int, required=True, help="天数（15 分钟一点，每天 96 点）")
    parser.add_argument("--out", type=Path, required=True, help="输出目录")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--start", type=dt.date.fromisoformat, default=dt.date(2026, 1, 1), help="起始日期 YYYY-MM-DD"
    )
    parser.add_argument("--real", type=Path, default=DEFAULT_REAL, help="真实负荷文件（UCI Daewoo 格式）")
    parser.add_argument("--prevalence", type=float, default=0.2, help="违法户比例（默认 0.2）")
    try:
        args = parser.parse_args(argv[1:] if argv and argv[0] == "simulate" else argv)
    except SystemExit as exit_:  # --help or a usage error
        return int(exit_.code or 0)
    if args.accounts < 1 or args.days < 1 or not 0 <= args.prevalence <= 1:
        print("错误：--accounts 与 --days 须为正整数，--prevalence 须在 0 到 1 之间", file=sys.stderr)
        return 2
    real_kw = None
    if args.real.is_file():
        real_kw = load_real_kw(args.real)
    elif args.real != DEFAULT_REAL:
        print(f"错误：找不到真实负荷文件 {args.real}", file=sys.stderr)
        return 2
    else:
        print(
            f"提示：未找到 {args.real}，不生成真实背景类（real_background, hidden_under_real）",
            file=sys.stderr,
        )

    began = time.perf_counter()
    readings, accounts, labels = simulate(
        args.accounts, args.days, args.seed, args.start, real_kw, args.prevalence
    )
    args.out.mkdir(parents=True, exist_ok=True)
    readings.write_parquet(args.out / "readings.parquet")
    accounts.write_csv(args.out / "accounts.csv")
    labels.write_csv(args.out / "labels.csv")
    print(
        f"已生成 {args.accounts} 户 × {args.days} 天，{readings.height} 行读数，用时 {time.perf_counter() - began:.1f} 秒 → {args.out}"
    )
    for row in labels.group_by("kind", "label").len().sort("label", "kind").iter_rows(named=True):
        print(f"  {row['label']}  {row['kind']:<32} {row['len']}")
    return 0
