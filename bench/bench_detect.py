"""Detection throughput against the read-and-reduce floor and a pandas groupby-apply, plus peak memory.

    .venv/bin/python bench/bench_detect.py [--accounts 100000 --days 30] [--data-dir DIR]
                                           [--pandas-accounts 500] [--floor-runs 3]

The synthetic Parquet (sorted by account then ts, one row group per 1,000 accounts) is cached under
--data-dir and reused. Figures are printed as a table; nothing is asserted (see README.md).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import pandas_baseline  # noqa: E402

from analytics import detect_file, io, pipeline  # noqa: E402
from analytics.clean import SLOTS_PER_DAY  # noqa: E402
from analytics.engines import local  # noqa: E402

ACCOUNTS_PER_GROUP = 1000
T0_US = 1_709_222_400_000_000  # 2024-03-01 00:00 (naive local)


def generate(path: Path, n_accounts: int, days: int, seed: int = 0) -> None:
    """Cheap synthetic loads: day-shift plateaus with noise; 1 % get a nightly furnace-like cycle."""
    rng = np.random.default_rng(seed)
    slots = days * SLOTS_PER_DAY
    tod = np.arange(slots) % SLOTS_PER_DAY
    shift = ((tod >= 32) & (tod < 72)).astype(np.float32)
    cycle = np.where((tod >= 88) | (tod < 20), np.where(tod % 5 == 0, 0.2, 1.0), 0).astype(np.float32)
    schema = pa.schema([("account_id", pa.string()), ("ts", pa.timestamp("us")), ("kw", pa.float32())])
    ts = T0_US + np.arange(slots, dtype=np.int64) * 900_000_000
    with pq.ParquetWriter(path, schema, compression="snappy") as writer:
        for first in range(0, n_accounts, ACCOUNTS_PER_GROUP):
            n = min(ACCOUNTS_PER_GROUP, n_accounts - first)
            size = rng.lognormal(5, 1, (n, 1)).astype(np.float32)
            kw = size * (0.1 + shift * rng.uniform(0.6, 1.0, (n, slots)).astype(np.float32))
            furnace = rng.random(n) < 0.01
            kw[furnace] += 5 * size[furnace] * cycle
            ids = np.repeat(np.array([f"A{first + i:07d}" for i in range(n)]), slots)
            table = pa.table(
                {"account_id": ids, "ts": np.tile(ts, n).astype("datetime64[us]"), "kw": kw.ravel()}
            )
            writer.write_table(table.cast(schema), row_group_size=n * slots)


def floor(path: Path) -> float:
    """The read-and-reduce floor: the same file, every column detection needs (account_id, ts, kw),
    decoded by the very reader detection uses, and one numpy reduction over kw."""
    return sum(
        float(np.sum(batch.column("kw").to_numpy(), dtype=np.float64))
        for batch in io.iter_parquet_batches(path)
    )


def timed(fn, *args):
    """(wall s, process CPU s over all threads, result)."""
    cpu = lambda: sum(getattr(resource.getrusage(resource.RUSAGE_SELF), f) for f in ("ru_utime", "ru_stime"))  # noqa: E731
    wall0, cpu0 = time.perf_counter(), cpu()
    result = fn(*args)
    return time.perf_counter() - wall0, cpu() - cpu0, result


def pandas_subsample(path: Path, n_accounts: int) -> pd.DataFrame:
    """The first n_accounts accounts of the file (whole accounts), as a plain pandas frame."""
    table = pq.ParquetFile(path).read_row_group(0, columns=["account_id", "ts", "kw"])
    per_account = table.num_rows // len(pa.compute.unique(table["account_id"]))
    return table.slice(0, n_accounts * per_account).to_pandas()


def agreement(frame: pd.DataFrame, baseline: pd.DataFrame) -> tuple[int, list[str]]:
    """Check that the baseline computes the same features: the vectorised path on the same accounts."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    ids, codes = np.unique(table["account_id"].to_numpy(zero_copy_only=False), return_inverse=True)
    chunk = pipeline.Chunk(ids.astype(object), codes.astype(np.int32),
                           table["ts"].cast(pa.int64()).to_numpy(), table["kw"].to_numpy())  # fmt: skip
    ours = pipeline.score_chunk(chunk, None).to_pandas().set_index("account_id").loc[baseline.index]
    differ = [
        name
        for name in pandas_baseline.COMPARED
        if not np.allclose(baseline[name].to_numpy(float), ours[name].to_numpy(float), rtol=1e-3, atol=2e-3)
    ]
    return int((ours["melt_sessions"] > 0).sum()), differ


def peak_gib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--data-dir", default=str(Path(tempfile.gettempdir()) / "steelwatch-bench"))
    parser.add_argument("--pandas-accounts", type=int, default=500)
    parser.add_argument(
        "--floor-runs", type=int, default=3, help="floor runs, around detection; the fastest counts"
    )
    args = parser.parse_args()

    path = Path(args.data_dir) / f"readings_{args.accounts}x{args.days}.parquet"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        started = time.perf_counter()
        generate(path, args.accounts, args.days)
        print(
            f"generated {path} ({path.stat().st_size / 2**30:.2f} GiB) in {time.perf_counter() - started:.1f} s"
        )
    account_days = args.accounts * args.days
    rows = pq.ParquetFile(path).metadata.num_rows
    print(f"{rows:,} rows ({args.accounts:,} accounts × {args.days} days × 96), {path.stat().st_size / 2**20:,.0f} MiB"
          f" Parquet; {local.cores()} cores; load average before: {os.getloadavg()[0]:.1f}")  # fmt: skip

    floors = [timed(floor, path) for _ in range(max(1, args.floor_runs - 1))]
    detect_s, detect_cpu, (scores, report) = timed(detect_file, path)
    detect_peak = peak_gib()
    floors.append(timed(floor, path))  # after as well: the machine may be shared
    floor_s, floor_cpu, _ = min(floors)

    frame = pandas_subsample(path, min(args.pandas_accounts, args.accounts))
    n_sub = frame["account_id"].nunique()
    pandas_s, pandas_cpu, baseline = timed(pandas_baseline.groupby_apply, frame)
    pandas_rate = n_sub * args.days / pandas_s
    furnaces, differ = agreement(frame, baseline)

    detect_rate = account_days / detect_s
    ratio_floor, ratio_pandas = detect_s / floor_s, detect_rate / pandas_rate
    ok = lambda good: "yes" if good else "NO"  # noqa: E731
    table = [
        ("detect (full run)", f"{detect_s:.2f}", f"{detect_cpu:.1f}", f"{detect_rate:,.0f}", "< 60 s", ok(detect_s < 60)),
        ("read+reduce floor", f"{floor_s:.2f}", f"{floor_cpu:.1f}", f"{account_days / floor_s:,.0f}",
         f"best of {len(floors)}: " + " ".join(f"{w:.2f}" for w, _, _ in floors), ""),
        (f"pandas groupby-apply ({n_sub} acc.)", f"{pandas_s:.2f}", f"{pandas_cpu:.1f}", f"{pandas_rate:,.0f}",
         "extrapolated per account-day", ""),
        ("detect / floor", f"{ratio_floor:.2f} ×", "", "", "≤ 3 ×", ok(ratio_floor <= 3)),
        ("detect vs pandas", f"{ratio_pandas:,.0f} ×", "", "", "≥ 50 ×", ok(ratio_pandas >= 50)),
        ("peak memory (maxrss, at detect)", f"{detect_peak:.2f} GiB", "", "", "< 8 GiB", ok(detect_peak < 8)),
    ]  # fmt: skip
    header = ("", "wall s", "CPU s", "account-days/s", "target / note", "met")
    widths = [max(len(str(row[i])) for row in [header, *table]) for i in range(len(header))]
    line = lambda row: "| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) + " |"  # noqa: E731
    print(line(header))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in table:
        print(line(row))
    print(
        f"pandas baseline agrees with the vectorised features on all {n_sub} accounts ({furnaces} furnace-like)"
        if not differ
        else f"pandas baseline DIFFERS from the vectorised features on: {', '.join(differ)}"
    )
    levels = dict(zip(*np.unique(scores["level"].to_numpy(), return_counts=True), strict=True))
    print(
        f"levels { ({str(k): int(v) for k, v in levels.items()}) }; load average after: {os.getloadavg()[0]:.1f}"
    )
    print(report.summary_zh())


if __name__ == "__main__":
    main()
