#!/bin/bash
# Counts the system calls of an idle `decant run` over 10 s (docs/service.md, "Idle wakeups").
#   scripts/idle-wakeups.sh [BINARY]     (default .build/release/decant; needs strace)
# Starts the service on an empty spool with default settings, waits for status.json and 2 s
# more, then runs `strace -c -f -p PID` for 10 s and prints its table.
set -eu
bin=${1:-.build/release/decant}
work=$(mktemp -d /tmp/decant-idle-XXXX)
trap 'rm -rf "$work"' EXIT
echo '{"spool": "'"$work"'/spool"}' > "$work/pipeline.json"
"$bin" run --config "$work/pipeline.json" 2>"$work/log" &
pid=$!
for _ in $(seq 100); do [ -f "$work/spool/status.json" ] && break; sleep 0.1; done
sleep 2
timeout -s INT 10 strace -c -f -p "$pid" -o "$work/strace.txt" 2>/dev/null || true
kill -TERM "$pid"; wait "$pid" || true
cat "$work/strace.txt"
