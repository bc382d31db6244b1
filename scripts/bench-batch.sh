#!/usr/bin/env bash
# Whole-process batch extraction on one core, Decant next to trafilatura's CLI in the same run:
#   decant extract DIR --out OUT --jobs 1      vs      trafilatura --input-dir DIR -o OUT --parallel 1
# over the pages of a dev set (default scrapinghub-dev), both pinned to one CPU with taskset.
# Prints wall and CPU seconds, pages/s and peak RSS of each, and the ratios (CPU time is the steadier
# one on a shared machine: another process on the same core stretches wall time, not CPU time).
#
#   scripts/bench-batch.sh [SET_DIR] [ROUNDS]      # needs `pip install trafilatura lxml_html_clean`
set -euo pipefail
cd "$(dirname "$0")/.."
set_dir=${1:-../shared/eval/scrapinghub-dev}
rounds=${2:-3}
BIN=${DECANT:-.build/release/decant}
[ -x "$BIN" ] || { echo "bench-batch: $BIN not found; run swift build -c release" >&2; exit 2; }
command -v trafilatura >/dev/null || { echo "bench-batch: trafilatura not found (pip install trafilatura lxml_html_clean)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench-batch: /usr/bin/time not found (apt-get install time)" >&2; exit 2; }
dir=$(mktemp -d /tmp/decant-bench-batch.XXXXXX)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/html"
for f in "$set_dir"/html/*.html.gz; do gzip -dc "$f" > "$dir/html/$(basename "$f" .gz)"; done
pages=$(ls "$dir/html" | wc -l)
cpu=$(( $(nproc) > 1 ? 1 : 0 ))
run() {  # name command...
    local name=$1; shift
    rm -rf "$dir/out"; mkdir -p "$dir/out"
    /usr/bin/time -f '%e %U %S %M' -o "$dir/time" taskset -c "$cpu" "$@" > /dev/null 2>&1 || true
    read -r wall user sys peak < "$dir/time"
    awk -v n="$name" -v p="$pages" -v w="$wall" -v u="$user" -v s="$sys" -v m="$peak" -v o="$(ls "$dir/out" | wc -l)" \
        'BEGIN { printf "%-12s %6.2f s wall %6.2f s CPU %8.1f pages/s %6d MB peak %5d files\n", n, w, u + s, p / w, m / 1024, o }'
    echo "$name $wall $(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" >> "$dir/walls"
}
echo "$pages pages of $set_dir, one core (CPU $cpu), $rounds rounds"
for r in $(seq "$rounds"); do
    run decant "$BIN" extract "$dir/html" --out "$dir/out" --jobs 1
    run trafilatura trafilatura --input-dir "$dir/html" -o "$dir/out" --parallel 1
done
awk '{ if ($1 == "decant") { d += $2; dc += $3 } else { t += $2; tc += $3 } }
     END { printf "decant is %.1fx trafilatura by wall time, %.1fx by CPU time\n", t / d, tc / dc }' "$dir/walls"
