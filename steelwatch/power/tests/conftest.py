"""Power-monitoring fixtures: a small realistic ledger and 15-minute readings written as real files.

Three accounts in 武进区 — a machining shop hiding night-time 1.5 MW melt cycles with no registered furnace,
a plain machining shop, a closed site under watch that comes back to life — plus an account in 新北区
(outside the owner's jurisdiction) and one that is on no ledger at all.
"""

import datetime

import numpy as np
import polars as pl
import pytest

START = datetime.datetime(2026, 3, 1)
DAYS = 14
SLOTS = DAYS * 96
FURNACE, NORMAL, CLOSED, FOREIGN, UNKNOWN = (
    "3204120001",
    "3204120002",
    "3204120003",
    "3204110009",
    "9999999999",
)


def _machining(rng, hours: np.ndarray, weekday: np.ndarray) -> np.ndarray:
    """Standby ~20 kW, a day shift 08:00–17:30 Monday to Saturday at ~200 kW."""
    kw = 20 + rng.normal(0, 2, len(hours))
    shift = (hours >= 8) & (hours < 17.5) & (weekday < 6)
    return kw + np.where(shift, 180 + rng.normal(0, 15, len(hours)), 0)


def night_melting(days: int, nights) -> np.ndarray:
    """A 1.5 MW coreless furnace melting 22:00–05:00 on the given nights (day offsets), 70 minutes tap to tap
    (55 min at power, 15 min tapping and charging at ~150 kW); averaged per minute onto 15-minute intervals."""
    slots = days * 96
    minute = np.zeros(slots * 15)
    for day in nights:
        first = day * 1440 + 22 * 60
        m = np.arange(first, min(first + 7 * 60, slots * 15))
        minute[m] = np.where((m - first) % 70 < 55, 1500.0, 150.0)
    return minute.reshape(slots, 15).mean(axis=1)


def machining_shop(days: int, nights=(), seed: int = 7) -> tuple[list[datetime.datetime], np.ndarray]:
    """(ts, kw) from START: a machining shop, with the furnace melting on `nights`."""
    rng = np.random.default_rng(seed)
    ts = [START + datetime.timedelta(minutes=15 * i) for i in range(days * 96)]
    hours = np.array([t.hour + t.minute / 60 for t in ts])
    weekday = np.array([t.weekday() for t in ts])
    return ts, np.round(_machining(rng, hours, weekday) + night_melting(days, nights), 2)


def build_readings(seed: int = 7) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    ts = [START + datetime.timedelta(minutes=15 * i) for i in range(SLOTS)]
    hours = np.array([t.hour + t.minute / 60 for t in ts])
    weekday = np.array([t.weekday() for t in ts])
    closed = 2 + np.abs(rng.normal(0, 0.3, SLOTS))
    for day in (9, 10, 12):  # life at the closed site: six hours at ~400 kW from 21:00
        closed[day * 96 + 84 : day * 96 + 108] += 400 + rng.normal(0, 10, 24)
    series = {
        FURNACE: _machining(rng, hours, weekday)
        + night_melting(DAYS, [d for d in range(DAYS) if d % 7 != 6]),
        NORMAL: _machining(rng, hours, weekday),
        CLOSED: closed,
        FOREIGN: _machining(rng, hours, weekday),
        UNKNOWN: _machining(rng, hours, weekday),
    }
    frame = pl.concat(
        [pl.DataFrame({"account_id": a, "ts": ts, "kw": np.round(kw, 2)}) for a, kw in series.items()]
    )
    # meter quirks: a gap, a duplicate, a negative value
    frame = frame.filter(
        ~((pl.col("account_id") == NORMAL) & (pl.col("ts") == START + datetime.timedelta(hours=3)))
    )
    frame = pl.concat([frame, frame.filter((pl.col("account_id") == NORMAL) & (pl.col("ts") == START))])
    return frame.with_columns(
        kw=pl.when((pl.col("account_id") == NORMAL) & (pl.col("ts") == START + datetime.timedelta(hours=5)))
        .then(-3.0)
        .otherwise(pl.col("kw"))
    )


@pytest.fixture(scope="session")
def readings() -> pl.DataFrame:
    return build_readings()


@pytest.fixture
def parquet_file(readings, tmp_path):
    path = tmp_path / "readings.parquet"
    readings.write_parquet(path)
    return path


@pytest.fixture
def csv_file(readings, tmp_path):
    path = tmp_path / "readings.csv"
    readings.with_columns(pl.col("ts").dt.strftime("%Y-%m-%d %H:%M")).write_csv(path)
    return path


@pytest.fixture(autouse=True)
def _data_dirs(settings, tmp_path):
    settings.READINGS_DIR = tmp_path / "readings"
    settings.UPLOAD_DIR = tmp_path / "uploads"


@pytest.fixture
def power_staff(db):
    from steelwatch.testing import make_user

    return make_user("department_staff", "320412", department="power_company", username="power_wj")


@pytest.fixture
def ledger(db):
    """The ledger's side: enterprises and their power accounts."""
    from steelwatch.geo.models import Division
    from steelwatch.registry.models import Enterprise, Furnace, PowerAccount
    from steelwatch.testing import make_enterprise

    township = Division.objects.filter(parent_id="320412").order_by("code").first().code
    shop = make_enterprise(township, name="武进精工机械加工厂", industry="机械加工")
    plain = make_enterprise(township, name="武进五金机加工厂", industry="机械加工")
    closed = make_enterprise(
        township, name="原武进铸钢厂", industry="铸造", status=Enterprise.Status.BANNED, formerly_banned=True
    )
    Furnace.objects.create(
        enterprise=closed,
        number="F-1",
        kind="medium_freq",
        capacity_t=3,
        rated_kw=2000,
        status=Furnace.Status.DESTROYED,
    )
    foreign = make_enterprise("320411", name="新北机械厂", industry="机械加工")
    return {
        FURNACE: PowerAccount.objects.create(
            account_id=FURNACE,
            enterprise=shop,
            division_id=township,
            contracted_kva=2000,
            industry="机械加工",
        ),
        NORMAL: PowerAccount.objects.create(
            account_id=NORMAL, enterprise=plain, division_id=township, contracted_kva=400
        ),
        CLOSED: PowerAccount.objects.create(
            account_id=CLOSED,
            enterprise=closed,
            division_id=township,
            contracted_kva=800,
            closed_site_watch=True,
        ),
        FOREIGN: PowerAccount.objects.create(
            account_id=FOREIGN, enterprise=foreign, division_id="320411", contracted_kva=400
        ),
    }
