#!/usr/bin/env bash
# Checks the memory and time bounds of one page's extraction (docs/fetch.md, "Limits of one
# page"): generates pathological pages with scripts/hostile_pages.py, runs the release build's
# `decant extract` on each under /usr/bin/time, and fails when a run's peak RSS exceeds
#   BASE_MB + BYTES_FACTOR x page bytes + NODE_BYTES x nodes + OUTPUT_FACTOR x article JSON bytes
# (a page over the limit of 500,000 nodes fails before its tree is built, so it counts none; an
# article is held as blocks, text, Markdown and its JSON, so a page that is all prose costs more),
# or its wall time exceeds the time budget (10 s) plus SLACK_S, or it crashes (exit > 1).
#
#   scripts/memory-bound.sh              # pages of 45 MB, as measured in docs/fetch.md
#   MB=20 scripts/memory-bound.sh        # quicker (CI)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${DECANT:-.build/release/decant}
MB=${MB:-45}
BASE_MB=${BASE_MB:-64}
BYTES_FACTOR=${BYTES_FACTOR:-4}
NODE_BYTES=${NODE_BYTES:-560}
OUTPUT_FACTOR=${OUTPUT_FACTOR:-3}
BUDGET_S=10
SLACK_S=${SLACK_S:-10}
SKIP=${SKIP:-}
[ -x "$BIN" ] || { echo "memory-bound: $BIN not found; run swift build -c release" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "memory-bound: /usr/bin/time not found (apt-get install time)" >&2; exit 2; }

dir=$(mktemp -d /tmp/decant-memory-bound.XXXXXX)
trap 'rm -rf "$dir"' EXIT
python3 scripts/hostile_pages.py "$dir" --mb "$MB" > "$dir/pages.txt"

failed=0
printf '%-22s %8s %8s %9s %9s %7s  %s\n' page MB nodes "peak MB" "bound MB" seconds outcome
while read -r page bytes nodes; do
    name=$(basename "$page" .html)
    if [[ " $SKIP " == *" $name "* ]]; then continue; fi
    counted=$(( nodes <= 500000 ? nodes : 0 ))
    status=0
    /usr/bin/time -f '%M %e' -o "$dir/time" "$BIN" extract "$page" --format json > "$dir/out.json" 2> "$dir/err" || status=$?
    out_bytes=$(stat -c %s "$dir/out.json")
    bound_kb=$(( BASE_MB * 1024 + BYTES_FACTOR * bytes / 1024 + NODE_BYTES * counted / 1024 + OUTPUT_FACTOR * out_bytes / 1024 ))
    read -r peak_kb seconds < <(tail -n 1 "$dir/time")
    outcome=$(grep -o 'decant: .*' "$dir/err" | sed 's/^decant: [^:]*: //' | cut -c1-60 || true)
    [ "$status" -eq 0 ] && outcome="article"
    verdict=""
    if [ "$status" -gt 1 ]; then verdict="CRASH (exit $status)"; fi
    if [ "$peak_kb" -gt "$bound_kb" ]; then verdict="OVER THE MEMORY BOUND"; fi
    if awk -v s="$seconds" -v m="$(( BUDGET_S + SLACK_S ))" 'BEGIN { exit !(s > m) }'; then verdict="OVER THE TIME BOUND"; fi
    [ -n "$verdict" ] && failed=1
    printf '%-22s %8.1f %8d %9d %9d %7.2f  %s %s\n' "$name" "$(awk -v b="$bytes" 'BEGIN { print b / 1e6 }')" "$counted" \
        $(( peak_kb / 1024 )) $(( bound_kb / 1024 )) "$seconds" "$outcome" "$verdict"
done < "$dir/pages.txt"
exit "$failed"
