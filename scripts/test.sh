#!/usr/bin/env bash
# The README's test command: installs missing system libraries, builds, runs every unit and integration test.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/bootstrap.sh
swift build --build-tests
swift test --skip-build "$@"
