#!/bin/bash
# Held-out evaluation on OUR simulator (docs/evaluation.md): simulate → (coarsen) → detect → evaluate, at
# 15 minutes, 60 minutes and on daily kWh, on seeds never used for tuning (tuning seeds: 101, 102).
# Usage: bench/heldout_evaluation.sh [OUT_DIR] [SEEDS...]; prints one JSON report per seed and resolution.
set -euo pipefail
SW=${SW:-.venv/bin/steelwatch}
OUT=${1:-${TMPDIR:-/tmp}/steelwatch-heldout}
shift || true
SEEDS=${*:-41 42 43}
for seed in $SEEDS; do
  d=$OUT/s$seed
  $SW simulate --accounts 2000 --days 30 --out "$d" --seed "$seed" >/dev/null
  $SW coarsen --readings "$d/readings.parquet" --interval 60 --out "$d/readings60.parquet" 2>/dev/null
  $SW coarsen --readings "$d/readings.parquet" --interval 1440 --out "$d/daily.parquet" 2>/dev/null
  for res in 15 60 1440; do
    case $res in 15) r=readings.parquet ;; 60) r=readings60.parquet ;; 1440) r=daily.parquet ;; esac
    $SW detect --readings "$d/$r" --accounts "$d/accounts.csv" --out "$d/scores$res.csv" >/dev/null 2>&1
    echo "== seed $seed (2000 accounts × 30 days), $res-minute data"
    $SW evaluate --scores "$d/scores$res.csv" --labels "$d/labels.csv" --prevalence 0.001,0.01 --json
  done
done
