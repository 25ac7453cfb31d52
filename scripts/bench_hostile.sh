#!/usr/bin/env bash
# Times `twelve lint` on hostile inputs that used to cost quadratic time (issue 8, items 8 and
# 10): one long line of `const apiKey="...";`, one long `api_token=a;` line, a Python line of
# `"`, a lone-CR file, and a Dockerfile with many stages. Each input is generated at several
# sizes; linear cost shows as a time that roughly doubles with the size.
# Not part of `cargo test` (timings are machine-dependent); run by hand:
#     scripts/bench_hostile.sh [SIZES_IN_KB...]        (default: 4 16 64 256 1024)
# CASES="lone-cr docker-stages" picks inputs (default: all of them, listed below).
# TWELVE=/path/to/twelve overrides the binary (default: target/release/twelve, built if missing).
# Uses hyperfine when installed, else one timed run per input with `date +%s.%N`.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
target_dir=${CARGO_TARGET_DIR:-$root/target}
twelve=${TWELVE:-$target_dir/release/twelve}
if [[ ! -x $twelve ]]; then
    (cd "$root" && cargo build --release --quiet)
fi
sizes=("$@")
[[ ${#sizes[@]} -gt 0 ]] || sizes=(4 16 64 256 1024)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# repeat UNIT BYTES: prints UNIT repeated until BYTES bytes (no trailing newline).
repeat() {
    local unit=$1 bytes=$2
    local count=$((bytes / ${#unit} + 1))
    awk -v u="$unit" -v n="$count" 'BEGIN { for (i = 0; i < n; i++) printf "%s", u }' | head -c "$bytes"
}

# make_case NAME SIZE_KB: builds directory $work/NAME-SIZE holding one hostile file.
make_case() {
    local name=$1 kb=$2 bytes=$(($2 * 1024)) dir="$work/$1-$2"
    mkdir -p "$dir"
    case $name in
        js-apikey-line) repeat 'const apiKey="Zq8Xw3Rt6Yu1Io4Pa7Sd0Fg2";' "$bytes" > "$dir/app.js" ;;
        api-token-line) repeat 'api_token=a;' "$bytes" > "$dir/settings.conf" ;;
        py-quote-line) repeat '"' "$bytes" > "$dir/app.py" ;;
        lone-cr) repeat $'const apiKey="Zq8Xw3Rt6Yu1Io4Pa7Sd0Fg2";\r' "$bytes" > "$dir/app.js" ;;
        docker-stages)
            # About 30 bytes a stage, each built FROM the one before.
            awk -v n="$((bytes / 30))" 'BEGIN { print "FROM alpine:3.20 AS s0";
                for (i = 1; i < n; i++) printf "FROM s%d AS s%d\n", i - 1, i }' > "$dir/Dockerfile" ;;
    esac
    echo "$dir"
}

read -r -a cases <<< "${CASES:-js-apikey-line api-token-line py-quote-line lone-cr docker-stages}"
printf '%-16s %8s %10s\n' input size_kb seconds
for name in "${cases[@]}"; do
    for kb in "${sizes[@]}"; do
        dir=$(make_case "$name" "$kb")
        cmd="$(printf '%q' "$twelve") lint $(printf '%q' "$dir") --format json > /dev/null"
        if command -v hyperfine >/dev/null; then
            export_file="$work/h.json"
            hyperfine --style none --warmup 0 --runs 3 --ignore-failure \
                --export-json "$export_file" "$cmd" >/dev/null 2>&1
            seconds=$(grep -o '"median": *[0-9.eE+-]*' "$export_file" | sed 's/.*: *//')
        else
            start=$(date +%s.%N)
            bash -c "$cmd" || true
            end=$(date +%s.%N)
            seconds=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
        fi
        printf '%-16s %8s %10.3f\n' "$name" "$kb" "$seconds"
        rm -rf "$dir"
    done
done
