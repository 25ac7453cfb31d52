#!/usr/bin/env bash
# Times `twelve lint PATH --format json` against a plain ripgrep pass over the same tree.
# Not part of `cargo test`; run by hand:  scripts/bench.sh /path/to/repo [runs]
#
# Uses hyperfine when installed, else a `date +%s.%N` loop; reports the median of RUNS
# (default 5) runs of each command and the ratio twelve / rg.
# TWELVE=/path/to/twelve overrides the binary (default: target/release/twelve, built if missing).
set -euo pipefail

if [[ $# -lt 1 || ! -d "$1" ]]; then
    echo "usage: $0 REPO_PATH [RUNS]" >&2
    exit 2
fi
target=$1
runs=${2:-5}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
twelve=${TWELVE:-$root/target/release/twelve}

if [[ ! -x $twelve ]]; then
    (cd "$root" && cargo build --release --quiet)
fi
if ! command -v rg >/dev/null; then
    echo "ripgrep (rg) is required: apt-get install -y ripgrep" >&2
    exit 2
fi

q_target=$(printf '%q' "$target")
q_twelve=$(printf '%q' "$twelve")
twelve_cmd="$q_twelve lint $q_target --format json > /dev/null"
rg_cmd="rg -c 'AKIA|password' $q_target > /dev/null"

median_of() { # prints the median of the numbers given as arguments
    printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
        if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

time_loop() { # runs "$1" $runs times (after one warm-up) and prints the median in seconds
    local cmd=$1 times=() start end
    bash -c "$cmd" || true
    for ((i = 0; i < runs; i++)); do
        start=$(date +%s.%N)
        bash -c "$cmd" || true
        end=$(date +%s.%N)
        times+=("$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.6f", b - a }')")
    done
    median_of "${times[@]}"
}

if command -v hyperfine >/dev/null; then
    tool=hyperfine
    export_file=$(mktemp)
    trap 'rm -f "$export_file"' EXIT
    # twelve exits 1 when it finds something and rg exits 1 when nothing matches: both fine.
    hyperfine --style basic --warmup 1 --runs "$runs" --ignore-failure \
        --export-json "$export_file" -n twelve "$twelve_cmd" -n rg "$rg_cmd" >&2
    mapfile -t medians < <(grep -o '"median": *[0-9.eE+-]*' "$export_file" | sed 's/.*: *//')
    twelve_s=${medians[0]}
    rg_s=${medians[1]}
else
    tool="date loop"
    twelve_s=$(time_loop "$twelve_cmd")
    rg_s=$(time_loop "$rg_cmd")
fi

files=$(find "$target" -type f -not -path '*/.git/*' | wc -l)
awk -v t="$twelve_s" -v r="$rg_s" -v n="$runs" -v tool="$tool" -v f="$files" -v p="$target" 'BEGIN {
    printf "repo:          %s (%d files in the tree, excluding .git)\n", p, f
    printf "method:        %s, median of %d runs\n", tool, n
    printf "twelve (json): %.3f s\n", t
    printf "rg -c:         %.3f s\n", r
    if (r > 0) printf "ratio:         %.1fx (twelve / rg)\n", t / r
}'
