#!/usr/bin/env bash
# The README's test command: installs missing system libraries, builds, runs every unit and integration test.
# The PostgreSQL tests get a throw-away cluster (scripts/pg-test-cluster.sh) unless DECANT_TEST_POSTGRES_URL
# already names one; it is stopped and removed on exit, pass or fail.
#
# A watchdog bounds each run of the tests (DECANT_TEST_SECONDS, default 600; they take under a minute).
# A run that hangs prints the test process's threads (with our own frames, when gdb is installed) and
# the tests that started and never finished, into DECANT_TEST_HANG_REPORT (default
# /tmp/decant-test-hangs.txt) and to stderr. The tests then run once more: a second hang, or any failed
# test in either run, fails.
# The tests run one at a time (--no-parallel: 57 s against 43 s in parallel on 2 cores), so that no test's
# blocking I/O starves another of the two cooperative threads; each test may still run things at once. A hang is a defect even when the second run passes: .ci/run
# prints the report at its end, so that it stays in CI's output.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/bootstrap.sh
log="$(mktemp)"
report="${DECANT_TEST_HANG_REPORT:-/tmp/decant-test-hangs.txt}"
rm -f "$report"
pgdir=""
cleanup() {
    rm -f "$log" "$log.hung" "$log.events"
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
seconds="${DECANT_TEST_SECONDS:-600}"

# The tests that started and never finished, from swift-testing's event stream (written as the events
# happen; the console output is buffered). Read before the process is killed: swift test then removes it.
open_tests() {
    python3 - "$log.events" <<'PY'
import json, sys
started = {}
for line in open(sys.argv[1], errors="replace"):
    try:
        record = json.loads(line)
    except ValueError:
        continue  # the line being written when the process was killed
    if record.get("kind") != "event":
        continue
    event = record["payload"]
    test = event.get("testID") or ""
    if "/" not in test:
        continue  # suites
    if event["kind"] == "testStarted":
        started[test] = event.get("instant", {}).get("absolute", 0)
    elif event["kind"] == "testEnded":
        started.pop(test, None)
for test, at in sorted(started.items(), key=lambda item: item[1]):
    print("  " + test)
PY
}

# What a hung test process is doing, then the tests that started and never finished (last, so that a
# truncated log still ends with them).
diagnose() {
    local pid task open
    open=$(open_tests 2>&1 || true)
    echo "test.sh: the tests ran longer than $seconds s ($1); the test process follows"
    for pid in $(pgrep -f 'DecantPackageTests' || true); do
        echo "threads of $pid (name, kernel wait):"
        for task in /proc/"$pid"/task/*; do echo "  ${task##*/} $(cat "$task"/comm) $(cat "$task"/wchan 2>/dev/null)"; done
        if command -v gdb >/dev/null; then
            # Only our own frames, a few per thread, so that the report stays short.
            timeout 120 gdb -p "$pid" -batch -ex 'thread apply all bt 40' 2>/dev/null \
                | awk '/^Thread / { print; n = 0; next }
                       /Decant|sqlite3_|waitpid/ && n < 6 {
                           sub(/ \(.*/, ""); print "   " $0; n++ }' || true
        fi
        kill -9 "$pid" 2>/dev/null || true
    done
    echo "tests started and not finished ($1):"
    echo "$open"
}

# One run of the tests under the watchdog: returns swift test's status; "$log.hung" exists after a hang.
run_tests() {
    local label=$1 tests watchdog status=0
    shift
    rm -f "$log.hung" "$log.events"
    swift test --skip-build --event-stream-output-path "$log.events" --event-stream-version 0 "$@" > >(tee "$log") 2>&1 &
    tests=$!
    (
        sleep "$seconds" & wait $!
        kill -0 "$tests" 2>/dev/null || exit 0
        touch "$log.hung"
        diagnose "$label" >> "$report" 2>&1
        kill "$tests" 2>/dev/null || true
    ) &
    watchdog=$!
    wait "$tests" || status=$?
    kill "$watchdog" 2>/dev/null || true
    pkill -P "$watchdog" sleep 2>/dev/null || true
    wait "$watchdog" 2>/dev/null || true
    return "$status"
}

status=0
run_tests "first run" --no-parallel "$@" || status=$?
if [ -e "$log.hung" ]; then
    cat "$report" >&2
    echo "test.sh: the tests hung (report above, kept in $report); running them once more" >&2
    # A test that failed before the hang still fails the whole: only the hang is given a second run.
    status=0
    if grep -q '^✘ Test .* failed' "$log"; then status=1; fi
    run_tests "second run" --no-parallel "$@" || status=1
    if [ -e "$log.hung" ]; then
        echo "test.sh: the tests hung again" >&2
        tail -n +1 "$report" | sed -n '/second run/,$p' >&2
        status=1
    fi
fi
exit "$status"
