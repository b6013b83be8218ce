#!/bin/bash
# Queues the shard array and a merge that runs once every shard succeeded.
#   SCENARIO=my-company.yaml TRIALS=1000000 deploy/slurm/submit.sh
set -euo pipefail
here=$(dirname "$0")
job=$(sbatch --parsable --export=ALL "$here/shards.sbatch")
sbatch --dependency="afterok:${job%%;*}" --export=ALL "$here/merge.sbatch"
