#!/usr/bin/env python3
"""Chaos test of a three-node cluster on one PostgreSQL queue: SIGKILL nodes at random, restart them,
and account for every URL.

    scripts/cluster-chaos.py [--urls 600] [--kills 12] [--binary .build/debug/decant] [--seed N]

Starts a throw-away PostgreSQL cluster (scripts/pg-test-cluster.sh) and scripts/fault_server.py, gives
three nodes (each its own spool and node.name, queue.leaseSeconds 3) job files whose URLs overlap (most
URLs are listed on two nodes; 90% articles, 5% permanent 404s, 5% flaky: two 503s, then a page), runs
the three `decant run` at once and kills one of them with SIGKILL at a random moment, --kills times,
restarting it each time. Then runs each node with --once until nothing is due, and checks, through
`decant collect` (JSON lines) and `decant status --json`, that:
  - every article URL is in the articles table exactly once, and nothing else is;
  - the shared queue has every article URL delivered and every 404 failed, nothing pending or in flight;
  - every node's inbox and work/ are empty.
Prints the counts and exits 1 on any violation.
"""
import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import chaoslib  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--urls", type=int, default=600)
    ap.add_argument("--kills", type=int, default=12)
    ap.add_argument("--binary", default=os.path.join(ROOT, ".build/debug/decant"))
    ap.add_argument("--seed", type=int, default=None)
    args = ap.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    print("cluster-chaos: seed %d" % seed, flush=True)
    if not os.access(args.binary, os.X_OK):
        sys.exit("cluster-chaos: no decant binary at %s (swift build first)" % args.binary)

    work = tempfile.mkdtemp(prefix="decant-cluster-chaos-")
    os.chmod(work, 0o755)  # the cluster's folder inside belongs to the postgres user, who must reach it
    pgdir = os.path.join(work, "pg")
    os.makedirs(pgdir)
    script = os.path.join(ROOT, "scripts/pg-test-cluster.sh")
    started = subprocess.run([script, "start", pgdir], capture_output=True, text=True)
    if started.returncode != 0:
        sys.exit("cluster-chaos: cannot start PostgreSQL: " + started.stderr[-2000:])
    url = started.stdout.strip()
    server = subprocess.Popen([sys.executable, os.path.join(ROOT, "scripts/fault_server.py")],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    procs = {}
    try:
        port = int(server.stdout.readline())
        base = "http://127.0.0.1:%d" % port
        # postgres://decant:PASSWORD@127.0.0.1:PORT/decant → the password in a file, not in the URL.
        creds, host = url[len("postgres://"):].split("@", 1)
        user, password = creds.split(":", 1)
        with open(os.path.join(work, "password"), "w") as f:
            f.write(password + "\n")
        nodes = ["node-1", "node-2", "node-3"]
        configs = {}
        for name in nodes:
            spool = os.path.join(work, name)
            os.makedirs(os.path.join(spool, "inbox"))
            configs[name] = os.path.join(work, name + ".json")
            with open(configs[name], "w") as f:
                json.dump({
                    "spool": spool, "node": {"name": name},
                    "fetch": {"allowPrivateNetworks": True, "perHostDelayMs": 0, "perHostConcurrency": 6,
                              "concurrency": 8, "retries": 0, "timeoutSeconds": 10},
                    "queue": {"backend": "postgres", "stableSeconds": 0, "leaseSeconds": 3,
                              "backoffBaseSeconds": 0.3, "backoffMaxSeconds": 1, "maxAttempts": 5,
                              "postgres": {"url": "postgres://%s@%s?sslmode=disable" % (user, host),
                                           "passwordFile": os.path.join(work, "password")}},
                    "output": {"formats": ["json"]},
                }, f)

        urls, expect_out, expect_failed = chaoslib.chaos_urls(base, args.urls, "cc%d" % seed)
        # Most URLs on two nodes, a few on one: the queue merges the repeats.
        jobs = {name: [] for name in nodes}
        for u in urls:
            for name in rng.sample(nodes, 2 if rng.random() < 0.8 else 1):
                jobs[name].append(u)
        for name in nodes:
            rng.shuffle(jobs[name])
            with open(os.path.join(work, name, "inbox", "job.txt"), "w") as f:
                f.write("\n".join(jobs[name]) + "\n")

        logs = open(os.path.join(work, "nodes.log"), "w")

        def start(name):
            procs[name] = subprocess.Popen([args.binary, "run", "--config", configs[name]], stdout=logs, stderr=logs)

        for name in nodes:
            start(name)
        began = time.time()
        for k in range(args.kills):
            time.sleep(rng.uniform(0.2, 1.5))
            victim = rng.choice(nodes)
            procs[victim].send_signal(signal.SIGKILL)
            procs[victim].wait()
            print("kill %2d at %5.1f s: %s" % (k + 1, time.time() - began, victim), flush=True)
            start(victim)
        for name in nodes:
            procs[name].send_signal(signal.SIGKILL)
            procs[name].wait()
        del procs

        # Let the nodes finish: --once in turn until nothing is due and every inbox and work/ is empty.
        deadline = time.time() + 180
        while True:
            for name in nodes:
                p = subprocess.run([args.binary, "run", "--once", "--config", configs[name]], capture_output=True,
                                   text=True, timeout=240)
                logs.write(p.stderr)
                if p.returncode != 0:
                    print(p.stderr[-2000:])
                    sys.exit("cluster-chaos: decant run --once on %s exited %d" % (name, p.returncode))
            status = json.loads(subprocess.run([args.binary, "status", "--json", "--config", configs["node-1"]],
                                               capture_output=True, text=True, check=True).stdout)
            counts = status["cluster"]["urls"]
            local = sum(len([n for n in os.listdir(os.path.join(work, name, folder)) if not n.startswith(".")])
                        for name in nodes for folder in ("inbox", "work"))
            busy = counts.get("pending", 0) + counts.get("inflight", 0) + counts.get("deferred", 0)
            if busy == 0 and local == 0:
                break
            if time.time() > deadline:
                break
            time.sleep(1)
        logs.close()

        errors = []
        lines = subprocess.run([args.binary, "collect", "--config", configs["node-2"]], capture_output=True,
                               text=True, check=True).stdout.splitlines()
        seen = {}
        for line in lines:
            record = json.loads(line)
            u = record["article"].get("url")
            seen[u] = seen.get(u, 0) + 1
        twice = [u for u, n in seen.items() if n > 1]
        missing = expect_out - set(seen)
        extra = set(seen) - expect_out
        if twice:
            errors.append("%d URL(s) in the articles table more than once, e.g. %s" % (len(twice), twice[:3]))
        if missing:
            errors.append("%d article URL(s) never delivered, e.g. %s" % (len(missing), sorted(missing)[:3]))
        if extra:
            errors.append("%d unexpected article(s), e.g. %s" % (len(extra), sorted(extra)[:3]))
        if counts.get("delivered", 0) != len(expect_out) or counts.get("failed", 0) != len(expect_failed):
            errors.append("queue counts %s, expected %d delivered and %d failed" % (counts, len(expect_out), len(expect_failed)))
        if local:
            errors.append("%d job file(s) left in inbox/ or work/" % local)
        print("cluster-chaos: %d URLs on 3 nodes, %d kills in %.0f s: %d articles (%d lines collected), queue %s"
              % (len(urls), args.kills, time.time() - began, len(seen), len(lines), counts), flush=True)
        for e in errors:
            print("cluster-chaos: " + e)
        if errors:
            print("cluster-chaos: logs and spools kept in " + work)
            sys.exit(1)
    finally:
        for p in list(locals().get("procs", {}).values()):
            p.kill()
        server.kill()
        subprocess.run([script, "stop", pgdir], capture_output=True)
    subprocess.run(["rm", "-rf", work])


if __name__ == "__main__":
    main()
