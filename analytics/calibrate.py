"""Fit the score's weights (`analytics/data/calibration.json`) on our own simulator's tuning seeds.

`python -m analytics.calibrate --seeds 101,102 --accounts 2000 --days 30` simulates, detects, and fits a
logistic regression of the label on the evidence terms of `scoring.evidence` — non-negative weights for
the terms the physics says can only make melting likelier, non-positive for `grey` and `small`, with a
ridge penalty — and writes the weights with the prevalence they were fitted at and the one the score
states. Seeds used here are tuning seeds: never report figures on them.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import polars as pl

from analytics import scoring

NEGATIVE = ("grey", "small")
# Evidence that means the same at every resolution: a 4-hour mean power beyond 1.8 x the registered furnaces
# cannot be drawn by them (docs/physics.md), whether it is read from 15-minute or hourly means; the extra
# blocks are computed from hourly means at every resolution. At finer resolution other terms may add to
# them, never take their place: their weights are at least the coarser fit's.
RESOLUTION_FREE = (
    "sustained_beyond", "extra_days", "extra_night", "extra_unregistered", "extra_size", "extra_contrast",
)  # fmt: skip
STATED_PREVALENCE = 0.01


def fit(
    x: np.ndarray,
    y: np.ndarray,
    names: tuple[str, ...],
    l2: float = 1.0,
    steps: int = 4000,
    floors: dict[str, float] | None = None,
) -> tuple[np.ndarray, float]:
    """Sign-constrained ridge logistic regression by projected gradient descent (Adam); floors: the least
    weight a term may take (see RESOLUTION_FREE)."""
    n, k = x.shape
    sign = np.array([-1.0 if name in NEGATIVE else 1.0 for name in names])
    floor = np.array([(floors or {}).get(name, -np.inf) for name in names])
    w, b = np.zeros(k), 0.0
    m, v = np.zeros(k + 1), np.zeros(k + 1)
    rate, beta1, beta2 = 0.05, 0.9, 0.999
    for t in range(1, steps + 1):
        p = 1 / (1 + np.exp(-(x @ w + b)))
        grad = np.append(x.T @ (p - y) / n + l2 * w / n, np.mean(p - y))
        m = beta1 * m + (1 - beta1) * grad
        v = beta2 * v + (1 - beta2) * grad**2
        step = rate * (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + 1e-8)
        w, b = w - step[:k], float(b - step[k])
        w = np.where(sign * w < 0, 0.0, w)  # the physics fixes each weight's sign
        w = np.maximum(w, floor)
    return w, b


def tuning_frame(seeds: list[int], accounts: int, days: int, interval: int = 15) -> pl.DataFrame:
    import analytics
    from analytics import coarsen, simulate
    from analytics.sim_physics import load_real_kw

    real = load_real_kw(simulate.DEFAULT_REAL) if simulate.DEFAULT_REAL.is_file() else None
    parts = []
    for seed in seeds:
        readings, ledger, labels = simulate.simulate(accounts, days, seed, real_kw=real)
        if interval > 15:
            readings = coarsen.coarsen(readings, interval)
        scores = analytics.detect(readings, ledger)
        parts.append(labels.join(scores, on="account_id").with_columns(seed=pl.lit(seed)))
    return pl.concat(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="calibrate", description="在模拟调参种子上拟合评分权重")
    parser.add_argument("--seeds", default="101,102")
    parser.add_argument("--accounts", type=int, default=2000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--l2", type=float, default=1.0)
    parser.add_argument("--out", type=Path, default=scoring.CALIBRATION_FILE)
    parser.add_argument("--frame", type=Path, help="缓存的调参结果（有则读取，无则生成后写入）")
    parser.add_argument("--interval", type=int, default=15, choices=(15, 60, 1440), help="所拟合的数据分辨率")
    parser.add_argument("--without-cycles", action="store_true", help="不用熔炼周期类证据拟合第二组权重")
    args = parser.parse_args(argv)
    seeds = [int(s) for s in args.seeds.split(",")]
    if args.frame and args.frame.is_file():
        frame = pl.read_parquet(args.frame)
    else:
        frame = tuning_frame(seeds, args.accounts, args.days, args.interval)
        if args.frame:
            frame.write_parquet(args.frame)
    # a closed site's revival alerts by rule (any sustained use above standby), not by these weights
    frame = frame.filter(pl.col("kind") != "closed_site_revival")
    names = tuple(k for k in scoring.EVIDENCE if (frame[f"ev_{k}"] != 0).any())  # terms this resolution has
    if args.without_cycles:
        names = tuple(k for k in names if k not in scoring.CYCLE_TERMS)
    x = frame.select([f"ev_{k}" for k in names]).to_numpy().astype(float)
    y = frame["label"].to_numpy().astype(float)
    coarser = json.loads(args.out.read_text(encoding="utf-8")).get("60", {}) if args.out.is_file() else {}
    floors = {}
    if args.interval < 60:
        floors = {k: float(coarser.get("weights", {}).get(k, 0.0)) for k in RESOLUTION_FREE if k in names}
    w, b = fit(x, y, names, args.l2, floors=floors)
    result = {
        "note": (
            "Weights of the evidence terms of analytics.scoring.evidence, fitted by analytics.calibrate on "
            f"our simulator only (tuning seeds {args.seeds}, {args.accounts} accounts x {args.days} days, "
            f"{args.interval}-minute readings){', without the cycle terms' if args.without_cycles else ''}; signs fixed "
            "by the physics. Never evaluated on these seeds."
        ),
        "prevalence": STATED_PREVALENCE,
        "fit_prevalence": float(y.mean()),
        "intercept": round(float(b), 4),
        "weights": {k: round(float(v), 4) for k, v in zip(names, w, strict=True)},
    }
    whole = json.loads(args.out.read_text(encoding="utf-8")) if args.out.is_file() else {}
    whole["prevalence"] = STATED_PREVALENCE
    whole[scoring.resolution(args.interval) + (scoring.BLIND_SUFFIX if args.without_cycles else "")] = result
    args.out.write_text(json.dumps(whole, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=2), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
