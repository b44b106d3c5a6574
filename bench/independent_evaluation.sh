#!/bin/bash
# Evaluation on the INDEPENDENT load generator (analytics/independent/, written apart from our detector and
# simulator). For the lead to run after merging that generator — the detector's author never ran it, and
# never tuned on its output. Seeds 9001–9003 were never used for anything else.
#
# Usage: bench/independent_evaluation.sh [OUT_DIR]
# The generator is called as
#   $INDEPENDENT_CMD --accounts N --days 28 --seed S --out DIR
# (default: .venv/bin/python -m analytics.independent) and must write DIR/readings.parquet (account_id, ts, kw),
# DIR/accounts.csv and DIR/labels.csv (account_id, label, kind) — set INDEPENDENT_CMD if its interface differs.
# Each set is scored at 15 minutes, at 60 minutes and on daily kWh (steelwatch coarsen), and evaluated at
# the stated prevalences; the JSON reports hold recall per illegal kind and false alerts per legitimate kind
# (the per-kind tables of docs/evaluation.md).
set -euo pipefail
SW=${SW:-.venv/bin/steelwatch}
GEN=${INDEPENDENT_CMD:-.venv/bin/python -m analytics.independent}
OUT=${1:-${TMPDIR:-/tmp}/steelwatch-independent}
for spec in "9001 2000" "9002 3000" "9003 1500"; do
  read -r seed n <<<"$spec"
  d=$OUT/s$seed
  mkdir -p "$d"
  $GEN --accounts "$n" --days 28 --seed "$seed" --out "$d" >/dev/null
  $SW coarsen --readings "$d/readings.parquet" --interval 60 --out "$d/readings60.parquet" 2>/dev/null
  $SW coarsen --readings "$d/readings.parquet" --interval 1440 --out "$d/daily.parquet" 2>/dev/null
  for res in 15 60 1440; do
    case $res in 15) r=readings.parquet ;; 60) r=readings60.parquet ;; 1440) r=daily.parquet ;; esac
    $SW detect --readings "$d/$r" --accounts "$d/accounts.csv" --out "$d/scores$res.csv" >/dev/null 2>&1
    echo "== independent seed $seed ($n accounts × 28 days), $res-minute data"
    $SW evaluate --scores "$d/scores$res.csv" --labels "$d/labels.csv" --prevalence 0.001,0.01 --json
  done
done
