#!/usr/bin/env bash
# One CRL gradient step, ours against the JAX and PyTorch references of ../shared/bench, run
# alternately in one sitting so that the ratios share the machine's state. Prints one JSON line
# per measurement (each tagged with its round), then the median updates/s of each.
#
#   Benchmarks/update/side-by-side.sh [rounds] [seconds] -- [options for all three, e.g. --depth 16]
#
# Needs a release build of bench-update and the references' virtual environment
# (see ../shared/bench/README.md); PYTHON overrides its interpreter, THREADS the thread count.
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-3}; seconds=${2:-5}; shift $(( $# >= 2 ? 2 : $# )); [ "${1:-}" = "--" ] && shift
python=${PYTHON:-$HOME/.refbench/bin/python}; threads=${THREADS:-2}
bench=../shared/bench
out=$(mktemp)
for round in $(seq "$rounds"); do
    .build/release/bench-update --threads "$threads" --seconds "$seconds" "$@" | sed "s/^{/{\"round\":$round,/" | tee -a "$out"
    "$python" "$bench/crl_update_torch.py" --threads "$threads" --seconds "$seconds" "$@" 2>/dev/null | tail -1 |
        sed "s/^{/{\"round\":$round,/" | tee -a "$out"
    "$python" "$bench/crl_update_jax.py" --seconds "$seconds" "$@" 2>/dev/null | tail -1 |
        sed "s/^{/{\"round\":$round,/" | tee -a "$out"
done
python3 - "$out" <<'PY'
import json, statistics, sys
runs = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    runs.setdefault(r["framework"].split()[0], []).append(r["updates_per_second"])
medians = {k: statistics.median(v) for k, v in runs.items()}
best = max(v for k, v in medians.items() if k != "deepcrl")
print(json.dumps({"median_updates_per_second": medians, "deepcrl_over_faster_reference": medians["deepcrl"] / best}))
PY
rm -f "$out"
