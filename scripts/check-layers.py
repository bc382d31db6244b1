#!/usr/bin/env python3
"""Checks the layer split: every `import X` in Sources/<Target>/ (and Tests/<Target>/) names a module the
target declares in Package.swift, and no target depends on a layer above it.

Reads the targets from `swift package dump-package`. Exit status 1 with one line per problem.
Layers (a target may use only what is listed for it; executables and tests sit on top):
  DecantCore → DecantHTML → DecantExtract;  DecantCore → DecantArchive (WARC) → DecantFetch (records WARC,
  decodes raw bodies);  Extract + Fetch → DecantSources;  Extract + Fetch (+ Sources, Archive) → DecantSpool;
  DecantSpool (its queue contract) → DecantPostgres (the PostgreSQL backend, postgres-nio) → DecantCluster.
"""
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# What each library target may depend on: our own layers below it, and the outside modules of its layer.
ALLOWED = {
    "DecantCore": set(),
    "DecantHTML": {"DecantCore", "CLibXML2", "CUchardet"},
    "DecantExtract": {"DecantCore", "DecantHTML", "CZlib"},
    "DecantFetch": {"DecantCore", "DecantArchive", "CCurl", "CIDN2", "GRDB", "ServiceLifecycle"},
    "DecantSources": {"DecantCore", "DecantExtract", "DecantFetch", "CLibXML2"},
    # WARC reading and writing: no HTML, no network; swift-crypto for SHA-1 digests.
    "DecantArchive": {"DecantCore", "CZlib", "Crypto"},
    "DecantSpool": {"DecantCore", "DecantHTML", "DecantExtract", "DecantFetch", "DecantSources", "DecantArchive",
                    "GRDB", "Logging", "ServiceLifecycle", "UnixSignals", "Crypto"},  # Crypto: webhook HMAC
    # The PostgreSQL queue backend: implements DecantSpool's queue contract over postgres-nio.
    "DecantPostgres": {"DecantCore", "DecantSpool", "PostgresNIO", "Logging"},
    # A cluster node's service: the spool's parts on the shared queue.
    "DecantCluster": {"DecantCore", "DecantExtract", "DecantFetch", "DecantSpool", "DecantPostgres", "Logging"},
    # Helpers shared by the tests (Tests/DecantTestSupport): any library layer, never the executables.
    "DecantTestSupport": {"DecantCore", "DecantHTML", "DecantExtract", "DecantFetch", "DecantSources",
                          "DecantSpool", "DecantArchive", "Logging"},
}
# Modules of the toolchain and the OS: importable without a declaration.
SYSTEM = {"Foundation", "FoundationEssentials", "FoundationNetworking", "Glibc", "Musl", "Darwin",
          "Dispatch", "Synchronization", "Testing", "XCTest", "_Concurrency", "os"}
IMPORT = re.compile(r"^\s*(?:@[\w]+(?:\([^)]*\))?\s+)*(?:(?:public|package|internal|private|fileprivate)\s+)?"
                    r"import\s+(?:(?:struct|class|enum|protocol|func|var|let|typealias)\s+)?([A-Za-z_]\w*)",
                    re.M)


def dependency_name(dep):
    for key in ("byName", "target", "product"):
        if key in dep:
            return dep[key][0]
    raise SystemExit(f"check-layers: unknown dependency form {dep}")


def main():
    dump = subprocess.run(["swift", "package", "dump-package"], cwd=ROOT, check=True,
                          capture_output=True, text=True).stdout
    targets = json.loads(dump)["targets"]
    problems = []
    for target in targets:
        name, kind = target["name"], target["type"]
        if kind in ("system", "binary", "plugin", "macro"):
            continue
        declared = {dependency_name(d) for d in target["dependencies"]}
        if name in ALLOWED:
            for dep in sorted(declared - ALLOWED[name]):
                problems.append(f"{name} depends on {dep}, which its layer may not use")
        elif kind not in ("executable", "test"):
            problems.append(f"{name} is a library target this check does not know: add it to ALLOWED")
        folder = target.get("path") or os.path.join("Tests" if kind == "test" else "Sources", name)
        for dirpath, _, files in os.walk(os.path.join(ROOT, folder)):
            for file in sorted(files):
                if not file.endswith(".swift"):
                    continue
                path = os.path.join(dirpath, file)
                with open(path, encoding="utf-8") as f:
                    text = f.read()
                for match in IMPORT.finditer(text):
                    module = match.group(1)
                    if module in SYSTEM or module == name or module in declared:
                        continue
                    line = text.count("\n", 0, match.start()) + 1
                    problems.append(f"{os.path.relpath(path, ROOT)}:{line}: {name} imports {module}, "
                                    f"which Package.swift does not declare for it")
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        print(f"check-layers: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    print(f"check-layers: {sum(1 for t in targets if t['type'] not in ('system',))} targets, imports and layers ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
