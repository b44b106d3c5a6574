#!/bin/bash
# Evaluation on the INDEPENDENT load generator (analytics/independent/, written apart from our detector and
# simulator; its source is not read by the detector's author and nothing is tuned on its output).
# Each seed is generated at 15 minutes, at 60 minutes (the generator's own --interval 60) and with daily kWh
# (--daily), translated to the detector's input by bench/independent_adapt.py (column names only), detected
# and evaluated at the stated prevalences.
# Usage: bench/independent_evaluation.sh [OUT_DIR]   (SEEDS="9101 9102" ACCOUNTS=1500 by default)
set -euo pipefail
export STEELWATCH_DEV=true
SW=${SW:-.venv/bin/steelwatch}
PY=${PY:-.venv/bin/python}
OUT=${1:-${TMPDIR:-/tmp}/steelwatch-independent}
N=${ACCOUNTS:-1500}
for seed in ${SEEDS:-9101 9102}; do
  for res in 15 60 1440; do
    d=$OUT/s$seed-$res
    mkdir -p "$d"
    case $res in
      1440) $PY -m analytics.independent --accounts "$N" --days 28 --seed "$seed" --out "$d" --daily >/dev/null
            r=$(ls "$d"/daily*.parquet "$d"/daily*.csv 2>/dev/null | head -1) ;;
      *)    $PY -m analytics.independent --accounts "$N" --days 28 --seed "$seed" --out "$d" --interval "$res" >/dev/null
            r=$d/readings.parquet ;;
    esac
    $PY bench/independent_adapt.py "$d" "$d/readings.parquet"
    $SW detect --readings "$r" --accounts "$d/accounts_sw.csv" --out "$d/scores.csv" >/dev/null 2>&1
    echo "== independent seed $seed ($N accounts × 28 days), $res-minute data"
    $SW evaluate --scores "$d/scores.csv" --labels "$d/labels_sw.csv" --prevalence 0.001,0.01 --json
  done
done
