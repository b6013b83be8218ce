#!/bin/bash
# One large machine: the shards as local processes with GNU parallel, then
# the merge. Each shard uses one core (-j 1), SHARDS of them at a time.
#   SCENARIO=my-company.yaml TRIALS=1000000 SHARDS=8 deploy/parallel/run.sh
set -euo pipefail
SCENARIO=${SCENARIO:-scenario.yaml}
TRIALS=${TRIALS:-1000000}
SEED=${SEED:-1}
SHARDS=${SHARDS:-8}
PARTS=${PARTS:-parts}
OUT=${OUT:-out}
parallel --halt now,fail=1 -j "$SHARDS" csplan run "$SCENARIO" --trials "$TRIALS" --seed "$SEED" --shard "{}/$SHARDS" -o "$PARTS/part-{}" -j 1 -q ::: $(seq 0 $((SHARDS - 1)))
csplan merge "$PARTS"/part-* -o "$OUT"
