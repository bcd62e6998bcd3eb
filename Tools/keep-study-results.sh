#!/usr/bin/env bash
# Copies a study's results without its checkpoints: every finished run's config.json,
# metrics.jsonl and result.json, and the study's reports (results.csv, summary.md, *.svg,
# path-scores.csv). The copy is small enough for version control and is still a study
# directory: `study … --output COPY` reports its finished runs and trains only what is missing,
# so a study goes on from one machine to the next.
#
#   Tools/keep-study-results.sh STUDY_DIRECTORY COPY_DIRECTORY
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 STUDY_DIRECTORY COPY_DIRECTORY" >&2; exit 64; }
source=$1 target=$2
[ -d "$source" ] || { echo "$0: no study directory at $source" >&2; exit 66; }
mkdir -p "$target"
for report in "$source"/results.csv "$source"/summary.md "$source"/*.svg "$source"/path-scores.csv; do
    [ -f "$report" ] && cp "$report" "$target/"
done
for run in "$source"/*/; do
    [ -f "$run/result.json" ] || continue  # unfinished: its checkpoint cannot be kept here
    name=$(basename "$run")
    mkdir -p "$target/$name"
    cp "$run/config.json" "$run/metrics.jsonl" "$run/result.json" "$target/$name/"
done
echo "$(find "$target" -name result.json | wc -l) finished runs in $target"
