#!/usr/bin/env bash
# Shows that a change leaves training bit for bit as it was: trains CRL, SAC and TD3 with small
# networks and a fixed seed, once built from BASE and once from the working tree, and compares
# metrics.jsonl (time and speed keys aside) and every checkpoint tensor and metadata value (wall
# time aside) byte for byte; metadata keys that only one side writes are listed, not failed.
# Results depend on the CPU's kernels and the thread count, so both runs happen here, now, with
# the same options.
#
#   Tools/compare-runs.sh BASE [extra train options]     (BASE: a commit, e.g. HEAD~3)
#
# CRL_OPTIONS, SAC_OPTIONS and TD3_OPTIONS add options for one algorithm only, e.g. to pin a
# default that changed on purpose: SAC_OPTIONS="--target-update-rate 0.005 --initial-temperature 1".
set -euo pipefail
base=$1; shift
root=$(git rev-parse --show-toplevel)
work=$(mktemp -d)
git -C "$root" worktree add --detach --quiet "$work/base" "$base"
trap 'git -C "$root" worktree remove --force "$work/base"; rm -rf "$work"' EXIT
echo "building train at $base and at the working tree"
(cd "$work/base" && swift build -c release --product train --scratch-path "$root/.build-compare" >/dev/null)
(cd "$root" && swift build -c release --product train >/dev/null)
options=(--env-steps 30000 --num-envs 16 --prefill-steps 300 --unroll-length 50 --updates-per-round 8
         --batch-size 64 --width 32 --depth 4 --evaluations 2 --evaluation-episodes 8 --seed 7 --threads 2 "$@")
status=0
for algorithm in crl sac td3; do
    variable="${algorithm^^}_OPTIONS"
    read -r -a own <<< "${!variable:-}"
    "$root/.build-compare/release/train" --algorithm "$algorithm" "${options[@]}" "${own[@]}" --output "$work/before-$algorithm" >/dev/null
    "$root/.build/release/train" --algorithm "$algorithm" "${options[@]}" "${own[@]}" --output "$work/after-$algorithm" >/dev/null
    python3 - "$work/before-$algorithm" "$work/after-$algorithm" "$algorithm" <<'PY' || status=1
import json, struct, sys
before, after, algorithm = sys.argv[1:]
timing = {"wall_seconds", "updates_per_second", "env_steps_per_second"}
def metrics(run):
    return [{k: v for k, v in json.loads(line).items() if k not in timing} for line in open(f"{run}/metrics.jsonl")]
def checkpoint(run):
    data = open(f"{run}/checkpoint.safetensors", "rb").read()
    size = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + size])
    meta = {k: v for k, v in header.pop("__metadata__", {}).items() if k != "wall_seconds"}
    body = data[8 + size:]
    return meta, {name: (t["dtype"], t["shape"], body[t["data_offsets"][0]:t["data_offsets"][1]]) for name, t in header.items()}
problems = []
m0, m1 = metrics(before), metrics(after)
if m0 != m1:
    line = next((i for i, (a, b) in enumerate(zip(m0, m1)) if a != b), min(len(m0), len(m1)))
    keys = sorted(k for k in m0[line].keys() | m1[line].keys() if m0[line].get(k) != m1[line].get(k)) if line < min(len(m0), len(m1)) else ["line count"]
    problems.append(f"metrics.jsonl differs from line {line + 1} on ({len(m0)} and {len(m1)} lines): {', '.join(keys)}")
(meta0, t0), (meta1, t1) = checkpoint(before), checkpoint(after)
shared = meta0.keys() & meta1.keys()
changed = sorted(k for k in shared if meta0[k] != meta1[k])
if changed:
    problems.append(f"checkpoint metadata differs: {', '.join(f'{k} {meta0[k]} against {meta1[k]}' for k in changed)}")
def only(side, keys):
    keys = sorted(keys)
    if len(keys) <= 3:
        return [f"metadata key '{k}' only {side}" for k in keys]
    return [f"{len(keys)} metadata keys only {side} ({', '.join(keys[:2])}, ...)"]
notes = only("before", meta0.keys() - meta1.keys()) + only("after", meta1.keys() - meta0.keys())
if t0.keys() != t1.keys():
    problems.append(f"checkpoint tensors differ in names: {sorted(t0.keys() ^ t1.keys())}")
problems += [f"tensor {n} differs" for n in sorted(t0.keys() & t1.keys()) if t0[n] != t1[n]]
if problems:
    print(f"{algorithm}: DIFFERENT\n  " + "\n  ".join(problems[:10]))
    sys.exit(1)
print(f"{algorithm}: identical ({len(m1)} evaluations, {len(t1)} checkpoint tensors, last success_any {m1[-1].get('success_any')})"
      + "".join(f"; {note}" for note in notes))
PY
done
exit $status
