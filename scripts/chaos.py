#!/usr/bin/env python3
"""Chaos test of the spool service: SIGKILL at random moments, restart, and account for every URL.

    scripts/chaos.py [--urls 2000] [--kills 20] [--binary .build/debug/decant] [--seed N] [--warc]

Serves pages from scripts/fault_server.py on 127.0.0.1, enqueues URLs (most deliver, some fail
for good with 404, some fail twice with 503 before they deliver, a few lines are malformed), then
starts `decant run`, kills it with SIGKILL at a random moment, and restarts it, --kills times.
Finally runs the service until nothing is due and checks that:
  - every URL is in exactly one of out/ (as an article's "url"), failed/ or deferred/;
  - no URL is delivered twice, no partial or stray file is in out/, every JSON file parses;
  - every malformed line has its record in failed/;
  - the delivery log (out/index*.jsonl) has exactly one line per delivered article, and no torn line;
  - the webhook receiver (scripts/webhook_receiver.py: answers 500 to a fifth of the POSTs and is
    down now and then) got every delivered article (deduplicated by Idempotency-Key), every
    signature valid, and nothing was given up in failed/webhook-*.json.
  - with --warc (output.warc on, 64 KB files): no WARC file is left .open, every record parses and
    its digests pass (warcio).
Prints the counts and exits 1 on any violation. Bounded: a few minutes at most.
"""
import argparse
import glob
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import chaoslib  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--urls", type=int, default=2000)
    ap.add_argument("--kills", type=int, default=20)
    ap.add_argument("--binary", default=os.path.join(ROOT, ".build/debug/decant"))
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--keep", action="store_true", help="keep the temporary spool")
    ap.add_argument("--warc", action="store_true",
                    help="run with output.warc on (small files) and check every WARC file with warcio")
    args = ap.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    if not os.access(args.binary, os.X_OK):
        sys.exit("chaos: no decant binary at %s (swift build first)" % args.binary)

    server = subprocess.Popen([sys.executable, os.path.join(ROOT, "scripts/fault_server.py")],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    port = int(server.stdout.readline())
    base = "http://127.0.0.1:%d" % port
    work = tempfile.mkdtemp(prefix="decant-chaos-")
    spool = os.path.join(work, "spool")
    config = os.path.join(work, "pipeline.json")
    secret = "chaos-secret-%d" % seed
    received_path = os.path.join(work, "received.jsonl")
    receiver = {"proc": None, "port": 0}

    def receiver_up():
        if receiver["proc"] is None:
            cmd = [sys.executable, os.path.join(ROOT, "scripts/webhook_receiver.py"), "--secret", secret,
                   "--record", received_path, "--port", str(receiver["port"]), "--seed", str(rng.randrange(1 << 30))]
            receiver["proc"] = subprocess.Popen(cmd, stdout=subprocess.PIPE)
            receiver["port"] = int(receiver["proc"].stdout.readline())

    def receiver_down():
        if receiver["proc"] is not None:
            receiver["proc"].kill()
            receiver["proc"].wait()
            receiver["proc"] = None

    receiver_up()
    with open(config, "w") as f:
        json.dump({
            "spool": spool,
            "schedule": {"intervalSeconds": 1},
            "fetch": {"allowPrivateNetworks": True, "perHostDelayMs": 0, "perHostConcurrency": 8,
                      "concurrency": 16, "retries": 0, "retryBaseDelayMs": 100, "retryMaxDelayMs": 200,
                      "timeoutSeconds": 10},
            "queue": {"stableSeconds": 0, "backoffBaseSeconds": 0.3, "backoffMaxSeconds": 1,
                      "maxAttempts": 5, "shutdownGraceSeconds": 2},
            "output": {"formats": ["json", "markdown"], "deliveryLog": True,
                       "webhook": {"url": "http://127.0.0.1:%d/hook" % receiver["port"], "secret": secret,
                                   "headers": {"Authorization": "Bearer chaos"},
                                   "timeoutSeconds": 5, "maxAttempts": 1000},
                       **({"warc": True, "warcMaxBytes": 65536} if args.warc else {})},
        }, f)

    # The URLs: 90% articles, 5% permanent 404s, 5% flaky (two 503s, then a page).
    urls, expect_out, expect_failed = chaoslib.chaos_urls(base, args.urls, "chaos%d" % seed)
    malformed = ["not a url %d" % i for i in range(5)] + ["gopher://example.org/%d" % i for i in range(3)]
    lines = urls + malformed
    rng.shuffle(lines)

    def decant(*a, **kw):
        return subprocess.run([args.binary] + list(a) + ["--config", config], capture_output=True, text=True, **kw)

    # Four job files through `decant enqueue`, one written carelessly straight into the inbox.
    chunk = (len(lines) + 3) // 4
    for k in range(3):
        p = subprocess.run([args.binary, "enqueue", "--config", config, "-"],
                           input="\n".join(lines[k * chunk:(k + 1) * chunk]) + "\n", capture_output=True, text=True)
        if p.returncode != 0:
            sys.exit("chaos: enqueue failed: " + p.stderr)
    os.makedirs(os.path.join(spool, "inbox"), exist_ok=True)
    with open(os.path.join(spool, "inbox", "careless.txt"), "w") as f:
        f.write("# written in place\n" + "\n".join(lines[3 * chunk:]) + "\n")

    logs = open(os.path.join(work, "service.log"), "w")
    start = time.time()
    for k in range(args.kills):
        # The receiver is down for about a third of the runs.
        if rng.random() < 0.33:
            receiver_down()
        else:
            receiver_up()
        proc = subprocess.Popen([args.binary, "run", "--config", config], stdout=logs, stderr=logs)
        time.sleep(rng.uniform(0.05, 0.6))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        delivered = len(glob.glob(os.path.join(spool, "out", "*.json")))
        print("kill %2d at %5.1f s: %d articles in out/" % (k + 1, time.time() - start, delivered), flush=True)

    # Let it finish: --once until nothing is queued, in work, waiting in deferred/ or in the outbox.
    receiver_up()

    def outbox_rows():
        db = sqlite3.connect(os.path.join(spool, "state.sqlite"), timeout=10)
        try:
            return db.execute("SELECT COUNT(*) FROM outbox").fetchone()[0]
        finally:
            db.close()

    deadline = time.time() + 120
    while True:
        p = decant("run", "--once")
        logs.write(p.stderr)
        if p.returncode != 0:
            print(p.stderr[-2000:])
            sys.exit("chaos: decant run --once exited %d" % p.returncode)
        pending = (os.listdir(os.path.join(spool, "inbox")) + os.listdir(os.path.join(spool, "work"))
                   + os.listdir(os.path.join(spool, "deferred")))
        if not [n for n in pending if not n.startswith(".")] and outbox_rows() == 0:
            break
        if time.time() > deadline:
            break
        time.sleep(0.5)
    logs.close()

    errors = []
    out_urls = {}
    out_dir = os.path.join(spool, "out")
    for name in sorted(os.listdir(out_dir)):
        path = os.path.join(out_dir, name)
        if re.fullmatch(r"index(-\d{4}-\d\d-\d\d(-\d+)?)?\.jsonl", name):
            continue
        if not re.fullmatch(r"[0-9a-f]{16}\.(json|md)", name):
            errors.append("stray file in out/: " + name)
            continue
        if name.endswith(".md"):
            if not os.path.exists(path[:-3] + ".json"):
                errors.append("markdown without its article: " + name)
            continue
        try:
            with open(path) as f:
                article = json.load(f)
        except Exception as e:
            errors.append("out/%s does not parse: %s" % (name, e))
            continue
        u = article.get("url")
        if u in out_urls:
            errors.append("delivered twice: %s (%s and %s)" % (u, out_urls[u], name))
        out_urls[u] = name
        if not article.get("title") or not article.get("text"):
            errors.append("out/%s lacks title or text" % name)

    failed_urls, failed_lines = {}, []
    for name in sorted(os.listdir(os.path.join(spool, "failed"))):
        path = os.path.join(spool, "failed", name)
        try:
            with open(path) as f:
                record = json.load(f)
        except Exception as e:
            errors.append("failed/%s does not parse: %s" % (name, e))
            continue
        if name.startswith("line-"):
            failed_lines.append(record)
        elif name.startswith("webhook-"):
            errors.append("webhook gave up on %s: %s" % (record.get("id"), record.get("error")))
        elif "url" in record:
            failed_urls[record["url"]] = record
        else:
            errors.append("unexpected file in failed/: " + name)

    deferred_urls = set()
    for name in os.listdir(os.path.join(spool, "deferred")):
        with open(os.path.join(spool, "deferred", name)) as f:
            deferred_urls.add(json.load(f)["url"])

    for u in urls:
        places = (u in out_urls) + (u in failed_urls) + (u in deferred_urls)
        if places != 1:
            errors.append("%s is in %d places (out %s, failed %s, deferred %s)"
                          % (u, places, u in out_urls, u in failed_urls, u in deferred_urls))
    extra = set(out_urls) - set(urls)
    if extra:
        errors.append("%d unknown URLs in out/" % len(extra))
    wrong_out = expect_failed & set(out_urls)
    wrong_failed = expect_out & set(failed_urls)
    if wrong_out:
        errors.append("%d URLs expected to fail were delivered" % len(wrong_out))
    if wrong_failed:
        errors.append("%d URLs expected to deliver failed, e.g. %s: %s"
                      % (len(wrong_failed), sorted(wrong_failed)[0], failed_urls[sorted(wrong_failed)[0]]["error"]))
    if len(failed_lines) != len(malformed):
        errors.append("%d malformed lines, %d line records in failed/" % (len(malformed), len(failed_lines)))
    # The delivery log: exactly one whole line per delivered article, sequence numbers increasing.
    log_ids, seqs, torn = {}, [], 0
    log_files = sorted(glob.glob(os.path.join(out_dir, "index-*.jsonl")))
    log_files += [p for p in [os.path.join(out_dir, "index.jsonl")] if os.path.exists(p)]
    for path in log_files:
        with open(path, "rb") as f:
            data = f.read()
        if data and not data.endswith(b"\n"):
            torn += 1
            errors.append("%s ends in a torn line" % os.path.basename(path))
        for raw in data.splitlines():
            try:
                line = json.loads(raw)
            except Exception as e:
                errors.append("%s: a line does not parse: %s" % (os.path.basename(path), e))
                continue
            log_ids[line["id"]] = log_ids.get(line["id"], 0) + 1
            seqs.append(line["seq"])
            if not line.get("files") or line["files"][-1] != line["id"] + ".json":
                errors.append("log line of %s lists files %s" % (line["id"], line.get("files")))
    out_ids = {name[:-5] for name in out_urls.values()}
    for i, n in log_ids.items():
        if n != 1:
            errors.append("article %s has %d log lines" % (i, n))
    missing_log = out_ids - set(log_ids)
    if missing_log:
        errors.append("%d delivered articles have no log line, e.g. %s" % (len(missing_log), sorted(missing_log)[0]))
    if set(log_ids) - out_ids:
        errors.append("%d log lines name no article in out/" % len(set(log_ids) - out_ids))
    if seqs != sorted(set(seqs)):
        errors.append("log sequence numbers are not strictly increasing")

    # The webhook: every delivered article received with a 200, every signature valid.
    receiver_down()
    accepted, posts, invalid = set(), 0, 0
    with open(received_path) as f:
        for raw in f:
            post = json.loads(raw)
            posts += 1
            if not post["valid"]:
                invalid += 1
            if post["status"] == 200:
                accepted.add(post["key"])
            if post["key"] != post["id"]:
                errors.append("Idempotency-Key %s is not the article id %s" % (post["key"], post["id"]))
    if invalid:
        errors.append("%d webhook POSTs with an invalid signature" % invalid)
    missing_hook = out_ids - accepted
    if missing_hook:
        errors.append("%d delivered articles never reached the webhook, e.g. %s"
                      % (len(missing_hook), sorted(missing_hook)[0]))
    if outbox_rows():
        errors.append("%d rows left in the webhook outbox" % outbox_rows())

    if args.warc:
        errors += check_warc(os.path.join(spool, "warc"))
    stray_tmp = [n for n in os.listdir(os.path.join(spool, "tmp"))]
    if stray_tmp:
        errors.append("%d files left in tmp/" % len(stray_tmp))

    print("chaos seed %d: %d URLs + %d malformed lines, %d SIGKILLs, %.0f s" %
          (seed, len(urls), len(malformed), args.kills, time.time() - start))
    print("  out/: %d articles (expected %d)" % (len(out_urls), len(expect_out)))
    print("  failed/: %d URLs (expected %d), %d line records (expected %d)"
          % (len(failed_urls), len(expect_failed), len(failed_lines), len(malformed)))
    print("  deferred/: %d" % len(deferred_urls))
    print("  delivery log: %d lines in %d file(s) for %d articles" % (len(seqs), len(log_files), len(out_ids)))
    print("  webhook: %d POSTs, %d articles accepted (expected %d), %d invalid signatures"
          % (posts, len(accepted & out_ids), len(out_ids), invalid))
    print("  accounted exactly once: %d of %d" % (sum(
        1 for u in urls if (u in out_urls) + (u in failed_urls) + (u in deferred_urls) == 1), len(urls)))
    server.stdin.close()
    server.wait()
    if errors:
        print("FAILED: %d problem(s)" % len(errors))
        for e in errors[:30]:
            print("  " + e)
        print("spool kept in " + work)
        sys.exit(1)
    print("OK")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    else:
        print("spool kept in " + work)


def check_warc(folder):
    """--warc: no .open file is left, and every record of every WARC file parses and passes its digests."""
    from warcio.archiveiterator import ArchiveIterator
    names = sorted(os.listdir(folder)) if os.path.isdir(folder) else []
    errors = ["left open in warc/: " + n for n in names if not n.endswith(".warc.gz")]
    counts = {}
    for name in (n for n in names if n.endswith(".warc.gz")):
        try:
            with open(os.path.join(folder, name), "rb") as f:
                for record in ArchiveIterator(f, check_digests=True):
                    record.content_stream().read()
                    counts[record.rec_type] = counts.get(record.rec_type, 0) + 1
                    if record.digest_checker.passed is False:
                        errors.append("warc/%s: digest of %s fails" % (name, record.rec_headers.get_header("WARC-Record-ID")))
        except Exception as e:
            errors.append("warc/%s does not parse: %s" % (name, e))
    print("  warc/: %d files, records %s" % (len(names), dict(sorted(counts.items()))))
    if not counts.get("response"):
        errors.append("no response record in warc/")
    return errors


if __name__ == "__main__":
    main()
