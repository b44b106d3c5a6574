#!/bin/bash
# Held-out evaluation (docs/evaluation.md): simulate → detect → evaluate on seeds the detector was never
# looked at with. Usage: bench/heldout_evaluation.sh [OUT_DIR]; prints one JSON report per seed.
set -euo pipefail
SW=${SW:-.venv/bin/steelwatch}
OUT=${1:-${TMPDIR:-/tmp}/steelwatch-heldout}
for spec in "31 2000" "32 2000" "33 2000" "34 2000" "778 20000"; do
  read -r seed n <<<"$spec"
  d=$OUT/s$seed
  $SW simulate --accounts "$n" --days 30 --out "$d" --seed "$seed" >/dev/null
  $SW detect --readings "$d/readings.parquet" --accounts "$d/accounts.csv" --out "$d/scores.csv" >/dev/null 2>&1
  echo "== seed $seed ($n accounts × 30 days)"
  $SW evaluate --scores "$d/scores.csv" --labels "$d/labels.csv" --prevalence 0.001,0.01 --json
done
