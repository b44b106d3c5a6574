"""Analytics tests need no database (pytest-django is loaded by the repo config but never used here)."""

import datetime as dt

import numpy as np
import polars as pl
import pytest

from analytics.tests import loads

T0 = dt.datetime(2024, 3, 1)
DAYS = 30


def frame(series: dict[str, np.ndarray], t0: dt.datetime = T0) -> pl.DataFrame:
    """Readings in the data contract from per-account 15-minute kW arrays."""
    parts = []
    for account, kw in series.items():
        ts = pl.datetime_range(t0, t0 + dt.timedelta(minutes=15 * (len(kw) - 1)), "15m", eager=True)
        parts.append(pl.DataFrame({"account_id": account, "ts": ts, "kw": np.asarray(kw, np.float64)}))
    return pl.concat(parts)


@pytest.fixture
def rng():
    return np.random.default_rng(20240301)


@pytest.fixture
def sample(rng) -> tuple[pl.DataFrame, pl.DataFrame]:
    """A small mixed population: hidden furnaces, look-alike legal loads, a registered foundry, a closed site."""
    iv = loads.to_intervals
    shop = lambda: loads.machining_shop(rng, DAYS)  # noqa: E731
    series = {
        "night_furnace": iv(shop() + loads.induction_furnace(rng, DAYS, 1500, list(range(1, DAYS, 3)))),
        "foundry_ok": iv(
            loads.induction_furnace(
                rng, DAYS, 2000, list(range(DAYS)), start_hour=8, heats=7, tap_to_tap_min=100, break_min=20
            )
        ),  # fmt: skip
        "foundry_beyond": iv(
            loads.induction_furnace(
                rng, DAYS, 3000, list(range(DAYS)), start_hour=8, heats=7, tap_to_tap_min=100, break_min=20
            )
        ),  # fmt: skip
        "compressor": iv(loads.air_compressor(rng, DAYS) + shop()),
        "boiler": iv(loads.storage_boiler(rng, DAYS) + shop()),
        "heat_treat": iv(loads.heat_treatment(rng, DAYS)),
        "mill": iv(loads.rolling_mill(rng, DAYS)),
        "closed_lights": np.full(DAYS * 96, 2.0),
        "closed_alive": np.where(np.arange(DAYS * 96) // 96 == 9, 80.0, 2.0)
        * (np.arange(DAYS * 96) % 96 >= 84)
        + 2.0,
    }
    accounts = pl.DataFrame({
        "account_id": list(series),
        "contracted_kva": [2500.0] * len(series),
        "industry": ["机械加工", "铸造", "铸造", "机械加工", "冷库仓储", "热处理", "轧钢", "机械加工", "铸造"],
        "registered_furnace_kw": [0, 2000, 1000, 0, 0, 0, 0, 0, 0],
        "site_status": ["operating"] * 7 + ["closed", "closed"],
    })  # fmt: skip
    return frame(series), accounts
