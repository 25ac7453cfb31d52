#!/usr/bin/env bash
# Times `twelve lint` against ripgrep on the same tree. Not part of `cargo test`; run by hand:
#   scripts/bench.sh /path/to/tree [runs]
#
# Reports medians of RUNS (default 5) warm runs (hyperfine when installed, else a
# `date +%s.%N` loop) of:
#   - twelve at -j2, every rule (the figure issue 9 compares: at most 1.5x rg);
#   - twelve at -j1 (the 1 -> 2 thread speed-up);
#   - twelve at -j2 with only TF0301 (facts are extracted only for the enabled rules);
#   - rg -j2 with five patterns standing in for what twelve looks for;
# and the peak RSS of one twelve -j2 run (GNU time, when installed).
# TWELVE=/path/to/twelve overrides the binary (default: target/release/twelve, built if missing).
set -euo pipefail

if [[ $# -lt 1 || ! -d "$1" ]]; then
    echo "usage: $0 TREE [RUNS]" >&2
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
names=(twelve-j2 twelve-j1 twelve-TF0301 rg-j2)
cmds=(
    "$q_twelve lint -j2 --format json $q_target > /dev/null"
    "$q_twelve lint -j1 --format json $q_target > /dev/null"
    "$q_twelve lint -j2 --select TF0301 --format json $q_target > /dev/null"
    "rg -c --hidden -j2 -e 'AKIA[0-9A-Z]{16}' -e '(?i)password\\s*[:=]' -e 'listen\\(' -e 'getenv|process\\.env|ENV\\[' -e 'FileHandler|RollingFile' $q_target > /dev/null"
)

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

medians=()
if command -v hyperfine >/dev/null; then
    tool=hyperfine
    export_file=$(mktemp)
    trap 'rm -f "$export_file"' EXIT
    args=()
    for i in "${!names[@]}"; do args+=(-n "${names[$i]}" "${cmds[$i]}"); done
    # twelve exits 1 when it finds something and rg exits 1 when nothing matches: both fine.
    hyperfine --style basic --warmup 2 --runs "$runs" --ignore-failure \
        --export-json "$export_file" "${args[@]}" >&2
    mapfile -t medians < <(grep -o '"median": *[0-9.eE+-]*' "$export_file" | sed 's/.*: *//')
else
    tool="date loop"
    for cmd in "${cmds[@]}"; do medians+=("$(time_loop "$cmd")"); done
fi

rss="n/a"
if [[ -x /usr/bin/time ]]; then
    rss=$( /usr/bin/time -f '%M' "$twelve" lint -j2 --format json "$target" 2>&1 >/dev/null | tail -1 )
    rss="$((rss / 1024)) MB"
fi

files=$(find "$target" -type f -not -path '*/.git/*' | wc -l)
awk -v j2="${medians[0]}" -v j1="${medians[1]}" -v s="${medians[2]}" -v r="${medians[3]}" \
    -v n="$runs" -v tool="$tool" -v f="$files" -v p="$target" -v rss="$rss" 'BEGIN {
    printf "tree:                 %s (%d files, excluding .git)\n", p, f
    printf "method:               %s, median of %d warm runs\n", tool, n
    printf "twelve -j2 (all):     %.3f s\n", j2
    printf "rg -j2 (5 patterns):  %.3f s\n", r
    if (r > 0) printf "ratio:                %.2fx (twelve / rg)\n", j2 / r
    printf "twelve -j1 (all):     %.3f s (1 -> 2 threads: %.2fx)\n", j1, j1 / j2
    printf "twelve -j2 TF0301:    %.3f s (%.0f%% of the full run)\n", s, 100 * s / j2
    printf "peak RSS (-j2):       %s\n", rss
}'
