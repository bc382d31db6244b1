# Sourced by the benchmark scripts: installs nginx and /usr/bin/time when missing, generates the
# local multi-host site ($PAGES pages on 127.0.0.1-$HOSTS:$PORT into $WORK/site, reused when it
# already matches) and serves it with nginx until the sourcing script exits.
# Needs ROOT, WORK, PAGES, HOSTS and PORT set, and a log function.

if ! command -v nginx >/dev/null; then
    log "installing nginx"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx >/dev/null
fi
[ -x /usr/bin/time ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null

mkdir -p "$WORK"
if [ ! -f "$WORK/urls.txt" ] || [ "$(wc -l < "$WORK/urls.txt")" -ne "$PAGES" ] || ! grep -q ":$PORT/" "$WORK/urls.txt"; then
    log "generating $PAGES pages on $HOSTS hosts into $WORK/site"
    rm -rf "$WORK/site"
    python3 "$ROOT/scripts/gen_bench_site.py" "$WORK" --pages "$PAGES" --hosts "$HOSTS" --port "$PORT"
fi

# nginx: one server per loopback address, gzip on (level 1, nginx's default), keep-alive.
servers=""
for i in $(seq 1 "$HOSTS"); do
    servers+="    server { listen 127.0.0.$i:$PORT; root $WORK/site/127.0.0.$i; location / { try_files \$uri =404; } }"$'\n'
done
mkdir -p "$WORK/nginx/logs"
cat > "$WORK/nginx/nginx.conf" <<EOF
worker_processes auto;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    sendfile on; tcp_nopush on; tcp_nodelay on;
    keepalive_timeout 65; keepalive_requests 1000000;
    types { text/html html; }
    default_type application/octet-stream;
    gzip on; gzip_comp_level 1; gzip_min_length 256;
$servers}
EOF
nginx -t -q -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx"
[ -f "$WORK/nginx/nginx.pid" ] && nginx -s stop -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" 2>/dev/null || true
nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx"
trap 'nginx -s stop -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" 2>/dev/null || true' EXIT
sleep 0.5
curl -sf --compressed -o /dev/null "$(head -1 "$WORK/urls.txt")" || { echo "nginx does not serve the site" >&2; exit 1; }
