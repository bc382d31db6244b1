#!/usr/bin/env bash
# The README's test command: installs missing system libraries, builds, runs every unit and integration test.
# The PostgreSQL tests get a throw-away cluster (scripts/pg-test-cluster.sh) unless DECANT_TEST_POSTGRES_URL
# already names one (.ci/run starts one for all its steps); it is stopped and removed on exit, pass or fail.
# A watchdog bounds the run (DECANT_TEST_SECONDS, default 1200): a suite that hangs prints every thread's
# stack (gdb, when installed) and the tests still running, and fails, instead of waiting for CI's own limit.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/bootstrap.sh
log="$(mktemp)"
pgdir=""
cleanup() {
    rm -f "$log"
    if [ -n "$pgdir" ]; then scripts/pg-test-cluster.sh stop "$pgdir"; fi
}
trap cleanup EXIT
if [ -z "${DECANT_TEST_POSTGRES_URL:-}" ]; then
    pgdir=$(mktemp -d "${TMPDIR:-/tmp}/decant-pg.XXXXXX")
    trap 'exit 130' INT
    trap 'exit 143' TERM
    DECANT_TEST_POSTGRES_URL=$(scripts/pg-test-cluster.sh start "$pgdir")
    export DECANT_TEST_POSTGRES_URL
fi
swift build --build-tests
seconds="${DECANT_TEST_SECONDS:-1200}"
swift test --skip-build "$@" > >(tee "$log") 2>&1 &
tests=$!
(
    sleep "$seconds" & wait $!
    kill -0 "$tests" 2>/dev/null || exit 0
    echo "test.sh: the tests ran longer than $seconds s; stacks of the test process follow" >&2
    for pid in $(pgrep -f 'DecantPackageTests' || true); do
        if command -v gdb >/dev/null; then
            timeout 120 gdb -p "$pid" -batch -ex 'info threads' -ex 'thread apply all bt 30' 2>&1 | grep -v '^\[New LWP' >&2 || true
        else
            for task in /proc/"$pid"/task/*; do echo "thread ${task##*/}: $(cat "$task"/comm) $(cat "$task"/wchan 2>/dev/null)" >&2; done
        fi
        kill -9 "$pid" 2>/dev/null || true
    done
    # Last, so that it ends the output: the tests that started and never finished.
    echo "test.sh: tests started and not finished:" >&2
    awk '/ Test .* started\./ { sub(/.* Test /, ""); sub(/ started\..*/, ""); open[$0] = 1 }
         / Test .* (passed|failed|skipped)/ { sub(/.* Test /, ""); sub(/ (passed|failed|skipped).*/, ""); delete open[$0] }
         END { for (t in open) print "  " t }' "$log" >&2
    kill "$tests" 2>/dev/null || true
) &
watchdog=$!
status=0
wait "$tests" || status=$?
kill "$watchdog" 2>/dev/null || true
pkill -P "$watchdog" sleep 2>/dev/null || true
exit "$status"
