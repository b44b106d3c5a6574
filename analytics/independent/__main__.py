"""python -m analytics.independent --accounts N --days 28 --seed S --out DIR [--interval 15|30|60]
[--prevalence 0.05] [--daily] [--csv] [--start YYYY-MM-DD] [--kinds a,b]"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections import Counter

from analytics.independent.generator import DEFAULT_START, generate, write


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m analytics.independent", description=__doc__)
    p.add_argument("--accounts", type=int, required=True)
    p.add_argument("--days", type=int, default=28)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", required=True)
    p.add_argument("--interval", type=int, choices=(15, 30, 60), default=15)
    p.add_argument("--prevalence", type=float, default=0.05)
    p.add_argument("--daily", action="store_true", help="also write daily kWh (account_id, date, kwh)")
    p.add_argument("--csv", action="store_true", help="also write readings.csv")
    p.add_argument("--start", type=dt.date.fromisoformat, default=DEFAULT_START)
    p.add_argument("--kinds", default="", help="comma-separated kinds, in equal shares (default: the mix)")
    a = p.parse_args(argv)
    if a.accounts < 1 or a.days < 2 or not 0 <= a.prevalence <= 1:
        p.error("need --accounts ≥ 1, --days ≥ 2 and 0 ≤ --prevalence ≤ 1")
    data = generate(
        a.accounts,
        days=a.days,
        seed=a.seed,
        interval=a.interval,
        prevalence=a.prevalence,
        start=a.start,
        kinds=[k for k in a.kinds.split(",") if k] or None,
        daily=a.daily,
    )
    paths = write(data, a.out, csv=a.csv)
    kinds = Counter(row["kind"] for row in data.labels)
    print(f"{len(data.kw)} readings, {len(data.accounts)} accounts, {len(data.heats)} heats")
    for k, c in sorted(kinds.items()):
        print(f"  {k:28s} {c}")
    for path in paths:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
