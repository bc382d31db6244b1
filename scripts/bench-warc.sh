#!/usr/bin/env bash
# WARC in: pages/s of `decant extract BIG.warc.gz --out OUT --jobs 1` next to FastWARC + resiliparse
# (main-content plain text, one file per page) on the same generated WARC, in one run, both pinned to
# one CPU with taskset. Prints wall, CPU, pages/s and peak RSS of each.
#
#   scripts/bench-warc.sh [MB] [WARC]     # MB of HTML in the generated file (default 1024);
#                                        # needs `pip install resiliparse fastwarc` and a release build
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-1024}
warc=${2:-/tmp/decant-bench-$mb.warc.gz}
BIN=${DECANT:-.build/release/decant}
[ -x "$BIN" ] || { echo "bench-warc: $BIN not found; run swift build -c release" >&2; exit 2; }
python3 -c 'import fastwarc, resiliparse' 2>/dev/null || { echo "bench-warc: pip install resiliparse fastwarc" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench-warc: /usr/bin/time not found (apt-get install time)" >&2; exit 2; }
[ -s "$warc" ] || python3 scripts/make-bench-warc.py "$warc" --mb "$mb"
dir=$(mktemp -d /tmp/decant-bench-warc.XXXXXX)
trap 'rm -rf "$dir"' EXIT
cpu=$(( $(nproc) > 1 ? 1 : 0 ))
pages=$(python3 -c 'import sys; from fastwarc.warc import ArchiveIterator, WarcRecordType
print(sum(1 for _ in ArchiveIterator(open(sys.argv[1], "rb"), record_types=WarcRecordType.response)))' "$warc")
echo "$warc: $(( $(stat -c %s "$warc") >> 20 )) MB gzip, $mb MB of HTML, $pages response records; one core (CPU $cpu)"
run() {  # name command...
    local name=$1; shift
    rm -rf "$dir/out"; mkdir -p "$dir/out"
    /usr/bin/time -f '%e %U %S %M' -o "$dir/time" taskset -c "$cpu" "$@" > "$dir/stdout" 2> "$dir/stderr" || true
    read -r wall user sys peak < "$dir/time"
    awk -v n="$name" -v p="$pages" -v w="$wall" -v u="$user" -v s="$sys" -v m="$peak" -v o="$(ls "$dir/out" | wc -l)" \
        'BEGIN { printf "%-12s %7.1f s wall %7.1f s CPU %7.1f pages/s %6d MB peak %7d files\n", n, w, u + s, p / w, m / 1024, o }'
    tail -n 1 "$dir/stderr" | cut -c1-300
}
run decant "$BIN" extract "$warc" --out "$dir/out" --jobs 1
run resiliparse python3 scripts/bench_resiliparse_warc.py "$warc" "$dir/out"
