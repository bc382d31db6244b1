#!/usr/bin/env python3
"""A webhook receiver for the chaos test: checks each POST's X-Decant-Signature, records it, and
answers 500 to a share of the requests (the sender must retry those).

    scripts/webhook_receiver.py --secret S --record FILE [--port N] [--fail 0.2] [--seed N]

Prints the port on its first line. Every POST is appended to FILE as one JSON line:
{"key": <Idempotency-Key>, "valid": <signature ok>, "status": <answer>, "id": <body's id>}.
Kill it and start it again with --port to play a receiver that is down for a while.
"""
import argparse
import hashlib
import hmac
import json
import os
import random
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--secret", required=True)
    ap.add_argument("--record", required=True)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--fail", type=float, default=0.2)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--exit-on-eof", action="store_true", help="exit when stdin closes (tests)")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    lock = threading.Lock()
    record = open(args.record, "a")

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            want = "sha256=" + hmac.new(args.secret.encode(), body, hashlib.sha256).hexdigest()
            valid = hmac.compare_digest(want, self.headers.get("X-Decant-Signature", ""))
            try:
                article_id = json.loads(body).get("id")
            except Exception:
                article_id = None
            with lock:
                status = 500 if rng.random() < args.fail else 200
                record.write(json.dumps({"key": self.headers.get("Idempotency-Key"), "valid": valid,
                                         "status": status, "id": article_id}) + "\n")
                record.flush()
            answer = b"ok\n" if status == 200 else b"try later\n"
            self.send_response(status)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *a):
            pass

    ThreadingHTTPServer.allow_reuse_address = True
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    print(server.server_address[1], flush=True)
    if args.exit_on_eof:
        def watch():
            sys.stdin.read()
            os._exit(0)
        threading.Thread(target=watch, daemon=True).start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
