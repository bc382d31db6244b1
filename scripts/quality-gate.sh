#!/usr/bin/env bash
# Regression gate on extraction quality: scores the release build on the shared evaluation sets and
# fails when F1 falls under the floors we reached (see README, "Quality").
set -euo pipefail
cd "$(dirname "$0")/.."
eval_dir="${DECANT_EVAL_DIR:-../shared/eval}"
if [ ! -f "$eval_dir/run.py" ]; then
    echo "quality gate: $eval_dir not found, skipped" >&2
    exit 0
fi
swift build -c release --product decant
fail=0
check() {  # name floor
    local f1
    f1=$(python3 "$eval_dir/run.py" "$eval_dir/$1" --out "/tmp/decant-gate-$1.jsonl" 2>/dev/null | tail -n 1 | awk '{print $2}')
    if python3 -c "import sys; sys.exit(0 if float('$f1') >= $2 else 1)"; then
        echo "quality gate: $1 F1 $f1 (floor $2) ok"
    else
        echo "quality gate: $1 F1 $f1 is under the floor $2" >&2
        fail=1
    fi
}
check scrapinghub-dev 0.973
check trafilatura-dev 0.935
exit $fail
