#!/usr/bin/env bash
# The README's test command: installs missing system libraries, builds, runs every unit and integration test.
# The PostgreSQL tests get a throw-away cluster (scripts/pg-test-cluster.sh) unless DECANT_TEST_POSTGRES_URL
# already names one (.ci/run starts one for all its steps); it is stopped and removed on exit, pass or fail.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/bootstrap.sh
if [ -z "${DECANT_TEST_POSTGRES_URL:-}" ]; then
    pgdir=$(mktemp -d "${TMPDIR:-/tmp}/decant-pg.XXXXXX")
    trap 'scripts/pg-test-cluster.sh stop "$pgdir"' EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    DECANT_TEST_POSTGRES_URL=$(scripts/pg-test-cluster.sh start "$pgdir")
    export DECANT_TEST_POSTGRES_URL
fi
swift build --build-tests
swift test --skip-build "$@"
