"""The independent synthetic load generator: accounts of many load kinds, legitimate and illegal, metered
as a power company's collection system delivers them.

    data = generate(2000, days=28, seed=1)
    write(data, "out/")   # readings.parquet, accounts.csv, labels.csv, heats.csv (+ daily)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from analytics.independent import illegal as ill
from analytics.independent import legit_industry as ind
from analytics.independent import legit_other as oth
from analytics.independent.meter import contract_for, random_meter, read_daily, read_intervals
from analytics.independent.site import Context, Site
from analytics.independent.timebase import MIN_PER_DAY, Timebase, day_types, temperature

DEFAULT_START = dt.date(2025, 12, 15)  # a Monday; the window holds the 2026 New Year holiday

Kind = Callable[[Context, np.random.Generator], Site]

# name: (function, share among legitimate / among illegal accounts)
LEGIT: dict[str, tuple[Kind, float]] = {
    "continuous_process": (ind.continuous_process, 0.07),
    "air_separation": (ind.air_separation, 0.04),
    "storage_boiler": (ind.storage_boiler, 0.06),
    "heat_treatment": (ind.heat_treatment, 0.06),
    "rolling_mill": (ind.rolling_mill, 0.05),
    "foundry_registered": (ind.foundry_registered, 0.07),
    "electroplating": (ind.electroplating, 0.05),
    "plastics_injection": (ind.plastics_injection, 0.07),
    "welding_shop": (ind.welding_shop, 0.06),
    "cold_store": (oth.cold_store, 0.06),
    "office_commercial": (oth.office_commercial, 0.11),
    "residential_small": (oth.residential_small, 0.13),
    "data_centre": (oth.data_centre, 0.02),
    "water_pumping": (oth.water_pumping, 0.04),
    "seasonal_processing": (oth.seasonal_processing, 0.04),
    "induction_forging": (oth.induction_forging, 0.03),
    "closed_dormant": (oth.closed_dormant, 0.04),
}
ILLEGAL: dict[str, tuple[Kind, float]] = {
    "furnace_night_hidden": (ill.furnace_night_hidden, 0.22),
    "foundry_over_registered": (ill.foundry_over_registered, 0.2),
    "furnace_parttime_coldstore": (ill.furnace_parttime_coldstore, 0.18),
    "closed_resurgence": (ill.closed_resurgence, 0.14),
    "furnace_masked_variable": (ill.furnace_masked_variable, 0.14),
    "furnace_workshop": (ill.furnace_workshop, 0.12),
}
KINDS = {**{k: v[0] for k, v in LEGIT.items()}, **{k: v[0] for k, v in ILLEGAL.items()}}


@dataclass
class Dataset:
    interval: int
    start: dt.date
    days: int
    account_id: np.ndarray  # readings, in arrival (shuffled) order
    ts: np.ndarray  # datetime64[m], naive local time, interval start
    kw: np.ndarray
    accounts: list[dict] = field(default_factory=list)
    labels: list[dict] = field(default_factory=list)
    heats: list[dict] = field(default_factory=list)
    daily: dict[str, np.ndarray] | None = None


def allocate(n: int, shares: dict[str, float]) -> list[str]:
    """``n`` kind names in proportion to ``shares`` (largest remainders)."""
    names = list(shares)
    w = np.array([shares[k] for k in names], float)
    exact = n * w / w.sum()
    counts = np.floor(exact).astype(int)
    for i in np.argsort(-(exact - counts))[: n - counts.sum()]:
        counts[i] += 1
    return [name for name, c in zip(names, counts, strict=True) for _ in range(c)]


def _division(rng: np.random.Generator, city: str) -> str:
    """A 12-digit township code under ``city`` (4 digits): district 01-08, township 001-012."""
    return f"{city}{int(rng.integers(1, 9)):02d}{int(rng.integers(1, 13)):03d}000"


def generate(
    n_accounts: int,
    days: int = 28,
    seed: int = 0,
    interval: int = 15,
    prevalence: float = 0.05,
    start: dt.date = DEFAULT_START,
    kinds: list[str] | None = None,
    daily: bool = False,
    city: str = "3299",
) -> Dataset:
    """Simulate ``n_accounts`` accounts for ``days`` days. ``kinds`` (names from KINDS) restricts the mix to
    those kinds in equal shares; otherwise ``prevalence`` of the accounts are illegal, split by ILLEGAL."""
    if interval not in (15, 30, 60):
        raise ValueError("interval must be 15, 30 or 60 minutes")
    tb = Timebase(start, days)
    master = np.random.default_rng(np.random.SeedSequence([seed, 0]))
    ctx = Context(tb, day_types(tb), temperature(tb, master))
    if kinds:
        unknown = set(kinds) - set(KINDS)
        if unknown:
            raise ValueError(f"unknown kinds: {sorted(unknown)}")
        names = allocate(n_accounts, dict.fromkeys(kinds, 1.0))
    else:
        n_ill = int(round(n_accounts * prevalence))
        names = allocate(n_ill, {k: v[1] for k, v in ILLEGAL.items()}) + allocate(
            n_accounts - n_ill, {k: v[1] for k, v in LEGIT.items()}
        )
    master.shuffle(names)
    ids = master.choice(10**9, size=n_accounts, replace=False) + 3_000_000_000
    # A collection front-end failure: on 1-2 days a third of the accounts lose the whole day.
    outage = np.zeros((n_accounts, days), bool)
    for d in master.choice(days, size=min(days, int(master.integers(1, 3))), replace=False):
        outage[master.random(n_accounts) < 0.33, d] = True

    t0 = np.datetime64(start, "m")
    acc_col, ts_col, kw_col, daily_parts = [], [], [], []
    accounts, labels, heats = [], [], []
    for i, name in enumerate(names):
        rng = np.random.default_rng(np.random.SeedSequence([seed, 1, i]))
        site = KINDS[name](ctx, rng)
        kw_min = np.maximum(site.kw, 0.0)
        account_id = f"{ids[i]:010d}"
        peak = float(np.quantile(kw_min, 0.999))
        kva = site.contract_kva or contract_for(peak, rng.uniform(*site.utilisation))
        meter = random_meter(rng, tb, interval, kva)
        idx, kw = read_intervals(rng, kw_min, tb, interval, meter, outage[i])
        acc_col.append(np.full(len(idx), i, np.int32))
        ts_col.append(t0 + (idx * interval).astype("timedelta64[m]"))
        kw_col.append(kw)
        if daily:
            d_idx, kwh = read_daily(rng, kw_min, tb, meter)
            daily_parts.append((np.full(len(d_idx), i, np.int32), d_idx, kwh))
        closed = (
            start - dt.timedelta(site.closed_days_before) if site.closed_days_before is not None else None
        )
        accounts.append(
            {
                "account_id": account_id,
                "division_code": _division(rng, city),
                "contract_kva": int(kva),
                "registered_furnace_kw": float(site.registered_furnace_kw),
                "closed_on": closed.isoformat() if closed else "",
            }
        )
        labels.append({"account_id": account_id, "illegal": int(name in ILLEGAL), "kind": name})
        origin = np.datetime64(tb.sim_start, "m")
        for h in site.heats:
            if h.end > tb.margin * MIN_PER_DAY and h.start < (tb.margin + days) * MIN_PER_DAY:
                heats.append(
                    {
                        "account_id": account_id,
                        "furnace": h.furnace,
                        "start": str(origin + np.timedelta64(h.start, "m")),
                        "end": str(origin + np.timedelta64(h.end, "m")),
                        "tonnes": round(h.tonnes, 3),
                        "kwh": round(h.kwh, 1),
                    }
                )
    acc = np.concatenate(acc_col) if acc_col else np.zeros(0, np.int32)
    order = master.permutation(len(acc))
    str_ids = np.array([a["account_id"] for a in accounts], dtype=object)
    data = Dataset(
        interval=interval,
        start=start,
        days=days,
        account_id=str_ids[acc[order]] if len(acc) else np.zeros(0, object),
        ts=np.concatenate(ts_col)[order] if ts_col else np.zeros(0, "datetime64[m]"),
        kw=np.concatenate(kw_col)[order] if kw_col else np.zeros(0),
        accounts=accounts,
        labels=labels,
        heats=heats,
    )
    if daily and daily_parts:
        a = np.concatenate([p[0] for p in daily_parts])
        o = master.permutation(len(a))
        data.daily = {
            "account_id": str_ids[a[o]],
            "date": (np.datetime64(start, "D") + np.concatenate([p[1] for p in daily_parts]))[o],
            "kwh": np.concatenate([p[2] for p in daily_parts])[o],
        }
    return data


def write(data: Dataset, out: str | Path, csv: bool = False) -> list[Path]:
    """Write readings.parquet (and readings.csv), accounts.csv, labels.csv, heats.csv and, when the data set
    has them, daily.parquet + daily.csv."""
    import csv as csv_mod

    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    table = pa.table(
        {
            "account_id": pa.array(data.account_id, pa.string()),
            "ts": pa.array(data.ts.astype("datetime64[us]"), pa.timestamp("us")),
            "kw": pa.array(data.kw, pa.float64()),
        }
    )
    pq.write_table(table, out / "readings.parquet")
    written.append(out / "readings.parquet")
    if csv:
        seconds = table.set_column(1, "ts", table.column("ts").cast(pa.timestamp("s")))
        pacsv.write_csv(seconds, out / "readings.csv")
        written.append(out / "readings.csv")
    for name, rows in (("accounts", data.accounts), ("labels", data.labels), ("heats", data.heats)):
        path = out / f"{name}.csv"
        fields = list(rows[0]) if rows else _EMPTY_FIELDS[name]
        with path.open("w", newline="", encoding="utf-8") as fh:
            w = csv_mod.DictWriter(fh, fieldnames=fields)
            w.writeheader()
            w.writerows(rows)
        written.append(path)
    if data.daily is not None:
        daily = pa.table(
            {
                "account_id": pa.array(data.daily["account_id"], pa.string()),
                "date": pa.array(data.daily["date"], pa.date32()),
                "kwh": pa.array(data.daily["kwh"], pa.float64()),
            }
        )
        pq.write_table(daily, out / "daily.parquet")
        pacsv.write_csv(daily, out / "daily.csv")
        written += [out / "daily.parquet", out / "daily.csv"]
    return written


_EMPTY_FIELDS = {
    "accounts": ["account_id", "division_code", "contract_kva", "registered_furnace_kw", "closed_on"],
    "labels": ["account_id", "illegal", "kind"],
    "heats": ["account_id", "furnace", "start", "end", "tonnes", "kwh"],
}
