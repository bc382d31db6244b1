#!/usr/bin/env python3
"""Writes a benchmark WARC: the eval sets' HTML pages as response records (each its own gzip member),
repeated under new URLs until the uncompressed HTML reaches --mb megabytes.

  python3 scripts/make-bench-warc.py OUT.warc.gz --mb 1024 [EVAL_DIR ...]
"""
import argparse
import glob
import gzip
import os
import uuid


def record(kind, uri, block, content_type):
    head = (f"WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{uuid.uuid4()}>\r\n"
            f"WARC-Date: 2024-05-06T07:08:09Z\r\nWARC-Target-URI: {uri}\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {len(block)}\r\n\r\n").encode()
    return gzip.compress(head + block + b"\r\n\r\n", compresslevel=6)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--mb", type=int, default=1024)
    ap.add_argument("evals", nargs="*", default=sorted(glob.glob("/work/shared/eval/*-dev")))
    args = ap.parse_args()
    pages = []
    for d in args.evals:
        for p in sorted(glob.glob(os.path.join(d, "html", "*"))):
            with open(p, "rb") as f:
                data = f.read()
            name = os.path.basename(p)
            if name.endswith(".gz"):
                data, name = gzip.decompress(data), name[:-3]
            pages.append((name, data))
    limit, written, n = args.mb << 20, 0, 0
    with open(args.out, "wb") as out:
        while written < limit:
            for name, html in pages:
                uri = f"http://bench.example/{n}/{name}"
                http = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: "
                        + str(len(html)).encode() + b"\r\n\r\n")
                out.write(record("request", uri, f"GET /{n}/{name} HTTP/1.1\r\nHost: bench.example\r\n\r\n".encode(),
                                 "application/http; msgtype=request"))
                out.write(record("response", uri, http + html, "application/http; msgtype=response"))
                written += len(html)
                n += 1
                if written >= limit:
                    break
    print(f"{n} pages, {written >> 20} MB of HTML -> {args.out} ({os.path.getsize(args.out) >> 20} MB)")


if __name__ == "__main__":
    main()
