"""The simulated clock: a 1-minute true-time grid, the calendar (weekends, Chinese public holidays, make-up
workdays, the Spring Festival shutdown), the valley tariff window and an outdoor temperature."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

MIN_PER_DAY = 1440

# State Council holiday schedules (国务院办公厅关于部分节假日安排的通知). Days off, and the weekend days that are
# worked in exchange (调休). Only the years listed are known; other years get weekends only.
HOLIDAYS = {
    # 2025: 元旦, 春节, 清明, 劳动节, 端午, 国庆+中秋
    *[dt.date(2025, 1, 1)],
    *[dt.date(2025, 1, 28) + dt.timedelta(d) for d in range(8)],
    *[dt.date(2025, 4, 4) + dt.timedelta(d) for d in range(3)],
    *[dt.date(2025, 5, 1) + dt.timedelta(d) for d in range(5)],
    *[dt.date(2025, 5, 31) + dt.timedelta(d) for d in range(3)],
    *[dt.date(2025, 10, 1) + dt.timedelta(d) for d in range(8)],
    # 2026: 元旦, 春节
    *[dt.date(2026, 1, 1) + dt.timedelta(d) for d in range(3)],
    *[dt.date(2026, 2, 15) + dt.timedelta(d) for d in range(9)],
}
MAKEUP_WORKDAYS = {
    dt.date(2025, 1, 26),
    dt.date(2025, 2, 8),
    dt.date(2025, 4, 27),
    dt.date(2025, 9, 28),
    dt.date(2025, 10, 11),
    dt.date(2026, 1, 4),
    dt.date(2026, 2, 14),
    dt.date(2026, 2, 28),
}
# 除夕 (Spring Festival eve): small factories shut for one to three weeks around it (migrant workers go home).
SPRING_FESTIVAL_EVE = {2025: dt.date(2025, 1, 28), 2026: dt.date(2026, 2, 16), 2027: dt.date(2027, 2, 5)}


@dataclass(frozen=True)
class Timebase:
    """True local time of a simulation: ``days`` days from ``start``, plus one margin day either side so that
    clock shifts have true data to read from."""

    start: dt.date
    days: int
    margin: int = 1

    @property
    def sim_start(self) -> dt.date:
        return self.start - dt.timedelta(self.margin)

    @property
    def n_days(self) -> int:
        return self.days + 2 * self.margin

    @property
    def n_min(self) -> int:
        return self.n_days * MIN_PER_DAY

    def dates(self) -> list[dt.date]:
        return [self.sim_start + dt.timedelta(d) for d in range(self.n_days)]

    def minute_of_day(self) -> np.ndarray:
        return np.tile(np.arange(MIN_PER_DAY), self.n_days)

    def day_index(self) -> np.ndarray:
        return np.repeat(np.arange(self.n_days), MIN_PER_DAY)


@dataclass(frozen=True)
class DayTypes:
    """Per simulated day: 0 = working day, 1 = Saturday (worked by 6-day sites), 2 = Sunday / day off,
    3 = public holiday; ``festival`` = days within the Spring Festival shutdown band (distance to 除夕 in days,
    or a large number)."""

    kind: np.ndarray
    festival_distance: np.ndarray


def day_types(tb: Timebase) -> DayTypes:
    kinds, dist = [], []
    for d in tb.dates():
        if d in HOLIDAYS:
            k = 3
        elif d in MAKEUP_WORKDAYS:
            k = 0
        elif d.weekday() == 5:
            k = 1
        elif d.weekday() == 6:
            k = 2
        else:
            k = 0
        kinds.append(k)
        eves = [(d - e).days for e in SPRING_FESTIVAL_EVE.values()]
        dist.append(min(eves, key=abs))
    return DayTypes(np.array(kinds), np.array(dist))


def site_operating_days(tb: Timebase, dtypes: DayTypes, rng: np.random.Generator, week: int) -> np.ndarray:
    """Boolean per day: does a site with a ``week``-day week (5, 6 or 7) work that day? Holidays are off
    for 5/6-day sites and for half of the 7-day ones; the Spring Festival shutdown of a small factory runs
    from 3-10 days before 除夕 to 5-15 days after it."""
    k = dtypes.kind
    if week >= 7:
        on = np.ones(len(k), bool)
        if rng.random() < 0.5:
            on &= k != 3
    elif week == 6:
        on = k <= 1
    else:
        on = k == 0
    before, after = int(rng.integers(3, 11)), int(rng.integers(5, 16))
    if week < 7 or rng.random() < 0.3:
        fd = dtypes.festival_distance
        on &= ~((fd >= -before) & (fd <= after))
    return on


def valley_window(rng: np.random.Generator) -> tuple[int, int]:
    """Start and end minute of the site's valley (低谷) tariff: ~23:00-07:00, provinces vary by an hour."""
    shift = int(rng.choice([-60, 0, 0, 0, 60]))
    return (23 * 60 + shift) % MIN_PER_DAY, 7 * 60 + shift


def in_window(mod: np.ndarray, start: int, end: int) -> np.ndarray:
    """Minutes of day inside [start, end), the window may wrap past midnight."""
    if start <= end:
        return (mod >= start) & (mod < end)
    return (mod >= start) | (mod < end)


def temperature(tb: Timebase, rng: np.random.Generator) -> np.ndarray:
    """Outdoor temperature (°C) per minute for a temperate eastern-China city: seasonal sine (mean 16 °C,
    amplitude 13 °C, coldest ~20 January), day-to-day weather as an AR(1) with 3 °C spread, and a diurnal
    swing of ±4 °C peaking at 14:00. The same weather is shared by every account of a run."""
    doy = np.array([d.timetuple().tm_yday for d in tb.dates()], float)
    seasonal = 16.0 - 13.0 * np.cos(2 * np.pi * (doy - 20) / 365.25)
    weather = np.zeros(tb.n_days)
    for i in range(1, tb.n_days):
        weather[i] = 0.7 * weather[i - 1] + rng.normal(0, 3.0 * np.sqrt(1 - 0.49))
    daily = np.repeat(seasonal + weather, MIN_PER_DAY)
    mod = tb.minute_of_day()
    diurnal = 4.0 * np.cos(2 * np.pi * (mod - 14 * 60) / MIN_PER_DAY)
    return daily + diurnal
