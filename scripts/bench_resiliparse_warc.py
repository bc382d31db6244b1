#!/usr/bin/env python3
"""The resiliparse side of scripts/bench-warc.sh: FastWARC reads every response record of a WARC file,
resiliparse decodes the HTML (HTTP charset, else detection) and extracts its main content as plain text,
written one file per page into OUT (as decant extract --out writes one JSON per article).

  python3 scripts/bench_resiliparse_warc.py FILE.warc.gz OUT     # pip install resiliparse fastwarc
Prints: records pages texts seconds
"""
import os
import sys
import time

from fastwarc.warc import ArchiveIterator, WarcRecordType
from resiliparse.extract.html2text import extract_plain_text
from resiliparse.parse.encoding import bytes_to_str, detect_encoding
from resiliparse.parse.html import HTMLTree


def main():
    path, out = sys.argv[1], sys.argv[2]
    start = time.monotonic()
    records = pages = texts = 0
    with open(path, "rb") as f:
        for record in ArchiveIterator(f, record_types=WarcRecordType.response, parse_http=True):
            records += 1
            ctype = (record.http_content_type or "").lower()
            if ctype and ctype not in ("text/html", "application/xhtml+xml"):
                continue
            body = record.reader.read()
            pages += 1
            charset = record.http_charset or detect_encoding(body)
            tree = HTMLTree.parse(bytes_to_str(body, charset))
            text = extract_plain_text(tree, main_content=True)
            if text:
                texts += 1
                with open(os.path.join(out, f"{texts}.txt"), "w", encoding="utf-8") as o:
                    o.write(text)
    print(records, pages, texts, f"{time.monotonic() - start:.2f}")


if __name__ == "__main__":
    main()
