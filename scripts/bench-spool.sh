#!/usr/bin/env bash
# Spool benchmark: `decant run --once` end to end next to `decant fetch` on the same URLs, on the
# local multi-host nginx site of scripts/bench-fetch.sh; then the memory of the service while it
# works through a job file of a million URLs.
#
#   scripts/bench-spool.sh                      # 20,000 pages on 127.0.0.1-9:18080
#   PAGES=5000 MILLION=0 scripts/bench-spool.sh
#
# Measures (wall time, CPU = user + sys, peak RSS from /usr/bin/time -v):
#   decant fetch --out DIR  - < urls.txt       (fetch + clean + write <id>.json, no spool)
#   decant run --once over a spool whose inbox holds urls.txt as one job file
#       (claim, journal, fetch + clean, <id>.json through tmp/ with fsync + rename; JSON only, like fetch)
#   decant run (service) over a 1,000,000-line job file for $MILLION_SECONDS s, RSS sampled
#       every 5 s (the URLs cycle over the site's pages with distinct query strings)
#   decant-bench spool: job-file ingestion alone, a million URLs into the journal
# Both runs use concurrency 16, perHostConcurrency 4, perHostDelayMs 0. Never commits anything.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${WORK:-/tmp/decant-bench}
PAGES=${PAGES:-20000}
HOSTS=${HOSTS:-9}
PORT=${PORT:-18080}
PAR=${PAR:-16}
PER_HOST=${PER_HOST:-4}
MILLION=${MILLION:-1}
MILLION_SECONDS=${MILLION_SECONDS:-60}

log() { echo "== $*" >&2; }

. "$ROOT/scripts/bench-site.sh"

log "building release binaries"
(cd "$ROOT" && swift build -c release --product decant >/dev/null && swift build -c release --product decant-bench >/dev/null)
BIN=$(cd "$ROOT" && swift build -c release --show-bin-path)

# Runs a command under /usr/bin/time -v; prints "seconds peak_rss_mb cpu_seconds".
measure() {
    local tlog
    tlog=$(mktemp)
    /usr/bin/time -v "$@" > /dev/null 2> "$tlog" || { tail -5 "$tlog" >&2; echo "command failed: $*" >&2; }
    local wall rss cpu
    wall=$(grep "Elapsed (wall clock)" "$tlog" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
    rss=$(grep "Maximum resident set size" "$tlog" | awk '{printf "%.1f", $NF/1024}')
    cpu=$(awk -F': ' '/User time|System time/ { t += $2 } END { printf "%.2f", t }' "$tlog")
    grep -E "spool service stopped|URLs:" "$tlog" >&2 || true
    rm -f "$tlog"
    echo "$wall $rss $cpu"
}
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }

CONFIG="$WORK/spool-bench.json"
printf '{"spool": "%s", "schedule": {"intervalSeconds": 5}, "fetch": {"concurrency": %d, "perHostConcurrency": %d, "perHostDelayMs": 0, "allowPrivateNetworks": true, "validatorsDatabase": ""}, "queue": {"stableSeconds": 0}, "output": {"formats": ["json"]}}\n' \
    "$WORK/spool" "$PAR" "$PER_HOST" > "$CONFIG"
results=()

log "decant fetch --out (no spool) on $PAGES URLs"
rm -rf "$WORK/fetch-out"
read -r s rss cpu < <(measure bash -c "exec '$BIN/decant' fetch --config '$CONFIG' --out '$WORK/fetch-out' --quiet - < '$WORK/urls.txt'")
fetch_rate=$(rate "$PAGES" "$s")
results+=("decant fetch --out:   $fetch_rate pages/s, ${s} s, CPU ${cpu} s, peak RSS ${rss} MB, $(ls "$WORK/fetch-out" | wc -l) files")
rm -rf "$WORK/fetch-out"

log "decant run --once over a spool with $PAGES URLs in one job file"
rm -rf "$WORK/spool"; mkdir -p "$WORK/spool/inbox"
cp "$WORK/urls.txt" "$WORK/spool/inbox/bench.txt"
read -r s rss cpu < <(measure "$BIN/decant" run --once --config "$CONFIG" --log-level warning)
spool_rate=$(rate "$PAGES" "$s")
articles=$(find "$WORK/spool/out" -name '*.json' | wc -l)
failed=$(find "$WORK/spool/failed" -name '*.json' | wc -l)
results+=("decant run --once:    $spool_rate pages/s, ${s} s, CPU ${cpu} s, peak RSS ${rss} MB, $articles articles, $failed failed")

if [ "$MILLION" = "1" ]; then
    log "decant run over a job file of 1,000,000 URLs for $MILLION_SECONDS s (RSS sampled every 5 s)"
    rm -rf "$WORK/spool"; mkdir -p "$WORK/spool/inbox"
    awk -v n=1000000 'BEGIN { while ((getline line < ARGV[1]) > 0) urls[c++] = line; for (i = 0; i < n; i++) print urls[i % c] "?n=" i }' \
        "$WORK/urls.txt" > "$WORK/spool/inbox/million.txt"
    ls -l "$WORK/spool/inbox/million.txt" >&2
    "$BIN/decant" run --config "$CONFIG" --log-level warning & pid=$!
    samples=""
    for t in $(seq 5 5 "$MILLION_SECONDS"); do
        sleep 5
        samples+="$(awk '/VmRSS/ { printf "%.0f", $2/1024 }' /proc/$pid/status) "
    done
    hwm=$(awk '/VmHWM/ { printf "%.0f", $2/1024 }' /proc/$pid/status)
    kill -TERM "$pid"; wait "$pid" || true
    done_urls=$(find "$WORK/spool/out" -name '*.json' | wc -l)
    journal=$(du -m "$WORK/spool/state.sqlite" | cut -f1)
    results+=("1M-URL job file:      RSS every 5 s (MB): $samples; peak $hwm MB; $done_urls articles in ${MILLION_SECONDS} s; journal ${journal} MB")
    log "decant-bench spool: ingestion of a million URLs into the journal"
    results+=("ingestion alone:      $("$BIN/decant-bench" spool --lines 1000000 | tail -1)")
fi
rm -rf "$WORK/spool"

echo
echo "Spool benchmark: $PAGES pages on $HOSTS hosts (nginx, gzip on), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for line in "${results[@]}"; do echo "  $line"; done
awk -v a="$spool_rate" -v b="$fetch_rate" 'BEGIN { printf "  spool / fetch = %.2f\n", a / b }'
