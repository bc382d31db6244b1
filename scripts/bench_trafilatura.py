#!/usr/bin/env python3
"""trafilatura's downloader + extractor on a sample of the fetch benchmark's URLs.

Usage: bench_trafilatura.py URLS_FILE [--sample 2000] [--threads 16]
Prints "N pages, S s, R pages/s (download+extract)" on the last line.
"""
import argparse
import time

from trafilatura import extract
from trafilatura.downloads import add_to_compressed_dict, buffered_downloads, load_download_buffer
from trafilatura.settings import DEFAULT_CONFIG

# The benchmark site is on 127.0.0.x: switch off trafilatura's SSRF guard (newer versions have one).
DEFAULT_CONFIG["DEFAULT"]["SSRF_PROTECTION"] = "off"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("urls")
    ap.add_argument("--sample", type=int, default=2000)
    ap.add_argument("--threads", type=int, default=16)
    args = ap.parse_args()
    with open(args.urls) as f:
        urls = [line.strip() for line in f if line.strip()][: args.sample]
    start = time.time()
    url_store = add_to_compressed_dict(urls)
    ok = 0
    while not url_store.done:
        bufferlist, url_store = load_download_buffer(url_store, sleep_time=0)
        for url, result in buffered_downloads(bufferlist, args.threads):
            if result and extract(result, url=url):
                ok += 1
    seconds = time.time() - start
    print("%d pages, %.1f s, %.1f pages/s (download+extract)" % (ok, seconds, ok / seconds))


if __name__ == "__main__":
    main()
