#!/usr/bin/env bash
# The 1 → 2 thread speed-up of ant stepping, ours beside plain C, in alternating rounds so both
# see the same machine: each round runs ant_steps.c with 1 and with 2 pthreads, then mujoco-steps
# (VectorEnvironment with 1 and with 2 threads). Prints each round's figures and, at the end, the
# median speed-up of each and the median of ours ÷ C at 2 threads.
#
#   Benchmarks/mujoco/scaling.sh [rounds] [steps] [copies]      (defaults 5, 96000, 64)
set -euo pipefail
rounds=${1:-5} steps=${2:-96000} copies=${3:-64}
root=$(cd "$(dirname "$0")/../.." && pwd)
model="$root/Sources/MuJoCoEnvironments/Models/ant.xml"
c_binary=$(mktemp /tmp/ant_steps.XXXXXX)
trap 'rm -f "$c_binary"' EXIT
cc -O2 -pthread -o "$c_binary" "$root/Benchmarks/mujoco/ant_steps.c" -lmujoco -lm
swift build -c release --package-path "$root/Benchmarks" --product mujoco-steps >/dev/null
ours="$root/Benchmarks/.build/release/mujoco-steps"

rate_c() { "$c_binary" "$model" "$steps" "$copies" "$1" | sed -E 's/.*= ([0-9]+) steps\/s.*/\1/'; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

printf "%-6s %10s %10s %8s %10s %10s %8s %12s\n" round "C 1 thr" "C 2 thr" "C ×" "ours 1" "ours 2" "ours ×" "ours÷C (2)"
c_ratios=() our_ratios=() relative=()
for round in $(seq 1 "$rounds"); do
    c1=$(rate_c 1) c2=$(rate_c 2)
    output=$("$ours" "$steps" "$copies")
    o1=$(sed -nE 's/.*copies, 1 thread: ([0-9]+) steps\/s.*/\1/p' <<<"$output")
    o2=$(sed -nE 's/.*copies, 2 threads: ([0-9]+) steps\/s.*/\1/p' <<<"$output")
    cr=$(awk -v a="$c2" -v b="$c1" 'BEGIN { printf "%.2f", a / b }')
    orr=$(awk -v a="$o2" -v b="$o1" 'BEGIN { printf "%.2f", a / b }')
    rel=$(awk -v a="$o2" -v b="$c2" 'BEGIN { printf "%.2f", a / b }')
    c_ratios+=("$cr") our_ratios+=("$orr") relative+=("$rel")
    printf "%-6s %10s %10s %8s %10s %10s %8s %12s\n" "$round" "$c1" "$c2" "$cr" "$o1" "$o2" "$orr" "$rel"
done
echo "median speed-up 1 → 2 threads: C $(printf '%s\n' "${c_ratios[@]}" | median)×, ours $(printf '%s\n' "${our_ratios[@]}" | median)×; median ours ÷ C at 2 threads: $(printf '%s\n' "${relative[@]}" | median)"
