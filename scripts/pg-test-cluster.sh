#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the tests, in a temporary folder on a free loopback port.
#
#   scripts/pg-test-cluster.sh start DIR   # installs PostgreSQL when missing, initdb + pg_ctl start in DIR,
#                                          # prints the cluster's URL (postgres://decant:…@127.0.0.1:PORT/decant)
#   scripts/pg-test-cluster.sh stop DIR    # stops the cluster and removes DIR (safe to call twice)
#   scripts/pg-test-cluster.sh down DIR    # stops the server, keeping DIR (a database restart, in tests)
#   scripts/pg-test-cluster.sh up DIR      # starts it again on the same port
#
# The server refuses to run as root: as root, the cluster belongs to the `postgres` user (DIR is chowned).
# Callers export the URL as DECANT_TEST_POSTGRES_URL and call `stop` from an EXIT trap.
set -euo pipefail
command=${1:?usage: pg-test-cluster.sh start|stop|down|up DIR}
dir=${2:?usage: pg-test-cluster.sh start|stop DIR}
password=decant-test

bindir() {
    local d
    for d in /usr/lib/postgresql/*/bin; do
        [ -x "$d/initdb" ] && { echo "$d"; return 0; }
    done
    return 1
}

as_owner() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$command" in
start)
    if ! bin=$(bindir); then
        echo "pg-test-cluster: installing postgresql" >&2
        sudo=""
        [ "$(id -u)" -ne 0 ] && sudo="sudo"
        export DEBIAN_FRONTEND=noninteractive
        $sudo apt-get update -qq >&2 || true
        $sudo apt-get install -y -qq postgresql >/dev/null || { echo "pg-test-cluster: run: apt-get install -y postgresql" >&2; exit 1; }
        bin=$(bindir) || { echo "pg-test-cluster: no initdb under /usr/lib/postgresql/*/bin" >&2; exit 1; }
    fi
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    printf '%s\n' "$password" > "$dir/pwfile"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$dir/pwfile"
    as_owner "$bin/initdb" -D "$dir/data" -U decant --pwfile="$dir/pwfile" --auth-local=trust \
        --auth-host=scram-sha-256 -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    # A test cluster: no durability needed, fast start, loopback and a private socket folder only.
    options="-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    printf '%s\n' "$options" > "$dir/options"
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 -o "$options" \
        start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    as_owner "$bin/psql" -h "$dir" -p "$port" -U decant -d postgres -q -c "CREATE DATABASE decant" >/dev/null
    echo "$port" > "$dir/port"
    echo "postgres://decant:$password@127.0.0.1:$port/decant"
    ;;
down)
    bin=$(bindir)
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null
    ;;
up)
    bin=$(bindir)
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 -o "$(cat "$dir/options")" \
        start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    ;;
stop)
    if [ -d "$dir/data" ] && bin=$(bindir); then
        as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
*)
    echo "usage: pg-test-cluster.sh start|stop|down|up DIR" >&2
    exit 2
    ;;
esac
