#!/usr/bin/env bash
# Sitemap expansion benchmark (docs/sources.md "Feeds and sitemaps in a job"): the service expands a
# 50,000-URL sitemap index (10 sitemaps x 5,000 URLs) served from 127.0.0.1, and a single
# 50,000-URL urlset (the protocol's maximum), into JSONL job files in the inbox.
#
#   scripts/bench-sitemap.sh                  # release build in .build/release
#   SITEMAPS=20 PER_SITEMAP=2500 DECANT=/path/to/decant scripts/bench-sitemap.sh
#
# Each run is `decant run` (the service) over a fresh spool whose job file names the sitemaps;
# `queue.stableSeconds` is a day, so the JSONL files the expansion writes stay in the inbox and only
# the expansion is measured. Wall time runs from the start to the last "expanded" log line; peak RSS
# is VmHWM of /proc/PID/status read then, before SIGTERM. Builds nothing, commits nothing.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DECANT=${DECANT:-$ROOT/.build/release/decant}
SITEMAPS=${SITEMAPS:-10}
PER_SITEMAP=${PER_SITEMAP:-5000}
BIG=${BIG:-50000}
WORK=$(mktemp -d /tmp/decant-bench-sitemap.XXXXXX)
[ -n "${KEEP:-}" ] || trap 'rm -rf "$WORK"' EXIT

[ -x "$DECANT" ] || { echo "no $DECANT: run swift build -c release first" >&2; exit 1; }
mkdir -p "$WORK/site"

# The server prints its port, serves $WORK/site (.xml as application/xml) and exits when its stdin closes.
coproc SERVER { exec python3 "$ROOT/scripts/source_server.py" "$WORK/site"; }
read -r PORT <&"${SERVER[0]}"
BASE="http://127.0.0.1:$PORT"

python3 - "$WORK/site" "$BASE" "$SITEMAPS" "$PER_SITEMAP" "$BIG" <<'EOF'
import os, sys
site, base, sitemaps, per, big = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
ns = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
def urlset(path, start, count):
    with open(os.path.join(site, path), "w") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<urlset %s>\n' % ns)
        for i in range(start, start + count):
            f.write("<url><loc>https://site.example/articles/%07d.html</loc><lastmod>2024-03-05</lastmod></url>\n" % i)
        f.write("</urlset>\n")
with open(os.path.join(site, "index.xml"), "w") as f:
    f.write('<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex %s>\n' % ns)
    for n in range(sitemaps):
        f.write("<sitemap><loc>%s/sitemap-%d.xml</loc></sitemap>\n" % (base, n))
        urlset("sitemap-%d.xml" % n, n * per, per)
    f.write("</sitemapindex>\n")
urlset("big.xml", 0, big)
urlset("one.xml", 0, 1)
EOF

# run NAME EXPECTED_EXPANSIONS URL...: one service run over a job naming the URLs.
run() {
    local name=$1 expect=$2; shift 2
    local dir="$WORK/$name"
    mkdir -p "$dir/spool/inbox"
    cat > "$dir/pipeline.json" <<EOF
{"spool": "spool", "schedule": {"intervalSeconds": 1},
 "fetch": {"allowPrivateNetworks": true, "obeyRobots": false, "perHostDelayMs": 0, "maxBodyBytes": 100000000},
 "queue": {"stableSeconds": 86400}}
EOF
    printf '%s\n' "$@" > "$dir/spool/inbox/job.txt"
    touch -d '2 days ago' "$dir/spool/inbox/job.txt"  # stable already: claimed at once
    local start end pid hwm
    : > "$dir/log"
    start=$(date +%s.%N)
    "$DECANT" run --config "$dir/pipeline.json" 2> "$dir/log" &
    pid=$!
    for _ in $(seq 1 1200); do
        [ "$(grep -c '^.*expanded ' "$dir/log" || true)" -ge "$expect" ] && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    end=$(date +%s.%N)
    hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" || true
    local lines
    lines=$(cat "$dir"/spool/inbox/*.jsonl 2>/dev/null | wc -l)
    printf '%-26s %6.2f s  peak RSS %6.1f MB  %d expansions, %d job lines\n' "$name" \
        "$(echo "$end - $start" | bc)" "$(echo "$hwm / 1024" | bc -l)" \
        "$(grep -c 'expanded ' "$dir/log" || true)" "$lines"
    grep -E 'expanded ' "$dir/log" | head -3 | sed 's/^/    /'
}

run "baseline-urlset-1" 1 "$BASE/one.xml"  # the service itself
URLS=("$BASE/index.xml")
for n in $(seq 0 $((SITEMAPS - 1))); do URLS+=("$BASE/sitemap-$n.xml"); done
# Until JSONL job files are read, the index's sitemaps are named in the job too (they are the
# index's depth-1 lines); the index itself expands to those lines.
run "index+$SITEMAPS-sitemaps" $((SITEMAPS + 1)) "${URLS[@]}"
run "urlset-$BIG" 1 "$BASE/big.xml"
