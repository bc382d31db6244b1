#!/usr/bin/env bash
# The README's main command: runs the spool service once, offline, over the bundled example pages.
#
#   scripts/run-example.sh
#
# Installs missing system libraries (scripts/bootstrap.sh), builds decant (release), starts a fresh
# spool in examples/spool (git-ignored, recreated on every run), enqueues the pages of
# examples/pages as file:// URLs with `decant enqueue`, runs `decant run --once`, and prints what
# arrived in out/: title, language, word count, and whether an article duplicates another.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

./scripts/bootstrap.sh
echo "== building decant (release)" >&2
swift build -c release --product decant >&2
BIN="$(swift build -c release --show-bin-path)/decant"
CONFIG="$ROOT/examples/pipeline.json"
SPOOL="$ROOT/examples/spool"

rm -rf "$SPOOL"
echo "== enqueueing the example pages" >&2
for page in "$ROOT"/examples/pages/*.html; do
    echo "file://$page"
done | "$BIN" enqueue --config "$CONFIG" - >/dev/null

echo "== decant run --once" >&2
"$BIN" run --once --config "$CONFIG"

echo
echo "Articles in examples/spool/out:"
python3 - "$SPOOL/out" <<'PY'
import json, os, sys
folder = sys.argv[1]
rows = []
for name in sorted(os.listdir(folder)):
    if name.endswith(".json"):
        with open(os.path.join(folder, name)) as f:
            a = json.load(f)
        rows.append((os.path.basename(a["url"]), a["title"], a.get("language") or "-", a.get("wordCount") or 0,
                     a.get("duplicateOf"), name))
for page, title, lang, words, dup, name in sorted(rows):
    note = "  (duplicate of %s)" % dup if dup else ""
    print("  %-30s %-3s %4d words  %s%s" % (page, lang, words, title, note))
md = len([n for n in os.listdir(folder) if n.endswith(".md")])
print("%d articles (%d .json + %d .md files)" % (len(rows), len(rows), md))
PY
echo
"$BIN" status --config "$CONFIG"
