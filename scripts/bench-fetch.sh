#!/usr/bin/env bash
# Fetch benchmark: curl --parallel vs decant, side by side, on a local multi-host nginx site.
#
#   scripts/bench-fetch.sh            # 20,000 pages on 127.0.0.1-9:18080, 3 rounds
#   PAGES=5000 ROUNDS=1 TRAFILATURA=0 scripts/bench-fetch.sh
#
# Installs nginx (Debian, as root) when missing, generates the site into $WORK (default
# /tmp/decant-bench, never committed), serves it with gzip on, then measures in one run:
#   curl --parallel --parallel-max 16 --compressed   (bodies to /dev/null)
#   decant-bench fetch --mode raw      (concurrency 16, perHostConcurrency 4, perHostDelayMs 0)
#   decant-bench fetch --mode article  (fetch + clean + write <id>.json)
#   trafilatura downloader + extractor on a sample (when TRAFILATURA=1 and pip can install it)
# and prints pages/s, the ratio to curl, and peak RSS (/usr/bin/time -v). Results: docs/fetch.md.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${WORK:-/tmp/decant-bench}
PAGES=${PAGES:-20000}
HOSTS=${HOSTS:-9}
PORT=${PORT:-18080}
PAR=${PAR:-16}
PER_HOST=${PER_HOST:-4}
ROUNDS=${ROUNDS:-3}
TRAFILATURA=${TRAFILATURA:-1}
TRAF_SAMPLE=${TRAF_SAMPLE:-2000}

log() { echo "== $*" >&2; }

. "$ROOT/scripts/bench-site.sh"

log "building release binaries"
(cd "$ROOT" && swift build -c release --product decant-bench >/dev/null)
BIN=$(cd "$ROOT" && swift build -c release --show-bin-path)

# Runs a command under /usr/bin/time -v; prints "seconds peak_rss_mb cpu_seconds" (user + sys).
measure() {
    local tlog
    tlog=$(mktemp)
    /usr/bin/time -v "$@" > "$tlog.out" 2> "$tlog" || { tail -5 "$tlog" >&2; echo "command failed: $*" >&2; }
    local wall rss
    wall=$(grep "Elapsed (wall clock)" "$tlog" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
    rss=$(grep "Maximum resident set size" "$tlog" | awk '{printf "%.1f", $NF/1024}')
    cpu=$(awk -F': ' '/User time|System time/ { t += $2 } END { printf "%.2f", t }' "$tlog")
    cat "$tlog.out" | grep -v '^RESULT' >&2 || true
    rm -f "$tlog" "$tlog.out"
    echo "$wall $rss $cpu"
}

rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }

results=()
best_curl=0; best_raw=0; best_article=0
for round in $(seq 1 "$ROUNDS"); do
    log "round $round: curl --parallel --parallel-max $PAR --compressed"
    read -r s rss cpu < <(measure curl -s --parallel --parallel-max "$PAR" --compressed -K "$WORK/curl.cfg")
    r=$(rate "$PAGES" "$s"); results+=("curl round $round: $r pages/s, ${s}s, CPU ${cpu}s, peak RSS ${rss} MB")
    [ "$r" -gt "$best_curl" ] && best_curl=$r && curl_rss=$rss

    log "round $round: decant raw (concurrency $PAR, perHostConcurrency $PER_HOST, perHostDelayMs 0)"
    read -r s rss cpu < <(measure "$BIN/decant-bench" fetch --urls "$WORK/urls.txt" --mode raw \
        --concurrency "$PAR" --per-host "$PER_HOST" --delay-ms 0)
    r=$(rate "$PAGES" "$s"); results+=("decant raw round $round: $r pages/s, ${s}s, CPU ${cpu}s, peak RSS ${rss} MB")
    [ "$r" -gt "$best_raw" ] && best_raw=$r && raw_rss=$rss
done

log "to disk: curl -o files vs decant fetch --raw --out (body + headers.json per URL)"
awk -v d="$WORK/disk-curl" '{ printf "url = \"%s\"\noutput = \"%s/%d.html\"\n", $0, d, NR }' "$WORK/urls.txt" \
    > "$WORK/curl-files.cfg"
rm -rf "$WORK/disk-curl" "$WORK/disk-decant"; mkdir -p "$WORK/disk-curl"
read -r s rss cpu < <(measure curl -s --parallel --parallel-max "$PAR" --compressed -K "$WORK/curl-files.cfg")
disk_curl=$(rate "$PAGES" "$s"); results+=("curl to files: $disk_curl pages/s, ${s}s, CPU ${cpu}s, peak RSS ${rss} MB")
printf '{"fetch": {"concurrency": %d, "perHostConcurrency": %d, "perHostDelayMs": 0, "allowPrivateNetworks": true}}\n' \
    "$PAR" "$PER_HOST" > "$WORK/bench-pipeline.json"
(cd "$ROOT" && swift build -c release --product decant >/dev/null)
read -r s rss cpu < <(measure bash -c "exec '$BIN/decant' fetch --config '$WORK/bench-pipeline.json' --raw \
    --out '$WORK/disk-decant' --quiet - < '$WORK/urls.txt'")
disk_decant=$(rate "$PAGES" "$s"); results+=("decant fetch --raw --out: $disk_decant pages/s, ${s}s, CPU ${cpu}s, peak RSS ${rss} MB")
rm -rf "$WORK/disk-curl" "$WORK/disk-decant"

log "decant fetch + clean + write articles"
rm -rf "$WORK/articles"
read -r s rss cpu < <(measure "$BIN/decant-bench" fetch --urls "$WORK/urls.txt" --mode article --out "$WORK/articles" \
    --concurrency "$PAR" --per-host "$PER_HOST" --delay-ms 0)
best_article=$(rate "$PAGES" "$s"); article_rss=$rss
results+=("decant article: $best_article pages/s, ${s}s, CPU ${cpu}s, peak RSS ${rss} MB, $(ls "$WORK/articles" | wc -l) files")

traf=""
if [ "$TRAFILATURA" = "1" ]; then
    if python3 -c "from trafilatura import extract" 2>/dev/null || pip install -q trafilatura lxml_html_clean >/dev/null 2>&1; then
        log "trafilatura downloader + extractor on $TRAF_SAMPLE pages"
        traf=$(python3 "$ROOT/scripts/bench_trafilatura.py" "$WORK/urls.txt" --sample "$TRAF_SAMPLE" --threads "$PAR" | tail -1)
        results+=("trafilatura: $traf")
    else
        results+=("trafilatura: not installed (pip install trafilatura failed)")
    fi
fi

echo
echo "Fetch benchmark: $PAGES pages on $HOSTS hosts (nginx, gzip on), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for line in "${results[@]}"; do echo "  $line"; done
echo "  best curl $best_curl pages/s (RSS $curl_rss MB); best decant raw $best_raw pages/s (RSS $raw_rss MB)"
awk -v a="$best_raw" -v b="$best_curl" 'BEGIN { printf "  decant raw / curl = %.2f (target >= 0.90)\n", a / b }'
echo "  decant article: $best_article pages/s, peak RSS $article_rss MB"
if [ -n "$traf" ]; then
    t=$(echo "$traf" | sed -n 's/.* \([0-9.]*\) pages\/s.*/\1/p')
    [ -n "$t" ] && awk -v a="$best_article" -v t="$t" 'BEGIN { printf "  decant article / trafilatura = %.1fx (target >= 10x)\n", a / t }'
fi
