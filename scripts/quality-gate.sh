#!/usr/bin/env bash
# Regression gate on extraction quality: scores the release build on all seven shared dev sets with
# ../shared/eval/run-all.py (about 2 minutes) and fails when a set's F1 falls under the floor we
# reached, less 0.003 of noise (see README, "Quality"; the floors move up with the figures).
set -euo pipefail
cd "$(dirname "$0")/.."
eval_dir="${DECANT_EVAL_DIR:-../shared/eval}"
if [ ! -f "$eval_dir/run-all.py" ]; then
    echo "quality gate: $eval_dir not found, skipped" >&2
    exit 0
fi
swift build -c release --product decant
out=$(mktemp -d /tmp/decant-gate.XXXXXX)
trap 'rm -rf "$out"' EXIT
python3 "$eval_dir/run-all.py" --out "$out" | tee "$out/table.txt"
python3 - "$out/table.txt" <<'PY'
import sys
floors = {"cleaneval": 0.898, "cleanportaleval": 0.953, "dragnet": 0.905, "l3s-gn1": 0.946,
          "readability": 0.919, "scrapinghub": 0.973, "trafilatura": 0.934}
seen, fail = {}, False
for line in open(sys.argv[1]):
    parts = line.split()
    if len(parts) >= 4 and parts[0] in floors:
        seen[parts[0]] = float(parts[3])
for name, floor in floors.items():
    f1 = seen.get(name)
    if f1 is None:
        print(f"quality gate: {name} missing from the table", file=sys.stderr); fail = True
    elif f1 < floor:
        print(f"quality gate: {name} F1 {f1:.3f} is under the floor {floor:.3f}", file=sys.stderr); fail = True
    else:
        print(f"quality gate: {name} F1 {f1:.3f} (floor {floor:.3f}) ok")
sys.exit(1 if fail else 0)
PY
