"""What every load kind works with (the simulation context) and what it returns (a site)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from analytics.independent.furnace import Heat
from analytics.independent.timebase import MIN_PER_DAY, DayTypes, Timebase, site_operating_days


@dataclass(frozen=True)
class Context:
    tb: Timebase
    dtypes: DayTypes
    temp: np.ndarray  # °C per minute, shared by every site of a run

    @property
    def n(self) -> int:
        return self.tb.n_min

    @property
    def n_days(self) -> int:
        return self.tb.n_days

    @property
    def mod(self) -> np.ndarray:
        return self.tb.minute_of_day()

    def operating(self, rng: np.random.Generator, week: int) -> np.ndarray:
        return site_operating_days(self.tb, self.dtypes, rng, week)

    def daily_mean_temp(self) -> np.ndarray:
        return self.temp.reshape(self.n_days, MIN_PER_DAY).mean(axis=1)


@dataclass
class Site:
    """A simulated site: its true 1-minute load (kW) and what the power company and the registry know."""

    kw: np.ndarray
    registered_furnace_kw: float = 0.0
    closed_days_before: int | None = None  # closed that many days before the window starts
    heats: list[Heat] = field(default_factory=list)
    utilisation: tuple[float, float] = (0.35, 0.9)  # peak kW / contracted kVA·pf drawn from this range
    contract_kva: float | None = None  # set when the contract is not sized from the load (closed sites)
