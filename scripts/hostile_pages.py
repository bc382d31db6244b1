#!/usr/bin/env python3
"""Writes pathological HTML pages (CPU and memory attacks on the extractor) into a folder.

    scripts/hostile_pages.py OUT_DIR [--mb 45] [--nodes 500000] [--only NAME ...]

Prints one line per page: path, bytes and nodes (start tags, the attributes kept of each, and
comments, as ExtractLimits counts them).

Each page is named after the attack; sizes are close to --mb megabytes unless the attack
is defined by a fixed size (issue 7's 1 MB and 5.6 MB attribute pages) or by the node limit
(`*-at-limit` pages: just under --nodes elements, attributes and comments, the most a page may
make libxml2 build).
"""
import argparse
import os

PARA = "<p>" + "Some readable text, with commas, for the article. " * 6 + "</p>\n"
NODES = 500_000

# Each page returns (html, nodes): nodes counts start tags, the attributes a tag keeps (at most
# KEPT) and comments, as ExtractLimits does (script and style text holds none).
KEPT = 256


def attrs_lt(mb):
    # Issue 7: one tag with 100,000 attributes whose quoted values hold '<' (about 1 MB).
    attrs = " ".join(f'a{i}="<"' for i in range(100_000))
    return f"<html><body><div {attrs}>{PARA}</div></body></html>", 4 + KEPT


def attrs_3000(mb):
    # Issue 7: tags of 3,000 attributes each (under the old 32 KiB tag limit), 5.6 MB in all.
    tag = "<span " + " ".join(f'a{i}="v"' for i in range(3000)) + ">x</span>\n"
    n = int(5.6e6 // len(tag))
    return "<html><body>" + PARA + tag * n + "</body></html>", 3 + (1 + KEPT) * n


def attrs_small(mb):
    # Many short attributes per tag, each tag under any per-tag cap: attribute nodes dominate memory.
    tag = "<i " + " ".join(f"a{i}" for i in range(60)) + ">w</i>\n"
    n = int(mb * 1e6 // len(tag))
    return "<html><body>" + PARA + tag * n + "</body></html>", 3 + 61 * n


def p_w(mb):
    # Issue 7: one tiny element per 8 bytes.
    n = int(mb * 1e6 // 8)
    return "<html><body>" + "<p>w</p>" * n + "</body></html>", 2 + n


def comments(mb):
    # One comment node per 7 bytes.
    n = int(mb * 1e6 // 7)
    return "<html><body>" + PARA + "<!---->" * n + "</body></html>", 3 + n


def deep_end_tags(mb):
    # A deep stack of open elements, then millions of end tags that match none of them
    # (libxml2 searches the whole stack for each: about 2 s per MB).
    return "<html><body>" + PARA + "<b>" * 2000 + "</x>" * int(mb * 1e6 // 4) + "</body></html>", 2003


def deep_nesting(mb):
    # Elements nested as deep as the page allows.
    n = int(mb * 1e6 // 12)
    return "<html><body>" + "<div>" * n + PARA + "</div>" * n + "</body></html>", 3 + n


def unclosed_comment(mb):
    # A comment that never ends.
    return "<html><body>" + PARA + "<!--" + "x" * int(mb * 1e6) + "</body></html>", 4


def unclosed_script(mb):
    return "<html><body>" + PARA + "<script>" + "var x = '<a' + 1;\n" * int(mb * 1e6 // 18) + "</body></html>", 4


def big_text(mb):
    # A huge but ordinary article: paragraphs of prose, all of it content.
    para = "<p>" + "Plain words of an ordinary article, with commas, and sentences. " * 8 + "</p>\n"
    n = int(mb * 1e6 // len(para))
    return ("<html><head><title>Long</title></head><body><article><h1>Long</h1>" + para * n
            + "</article></body></html>", 6 + n)


def p_w_at_limit(mb):
    # The most tiny elements a page may have: the worst memory per byte.
    return "<html><body>" + PARA + "<p>w</p>" * (NODES - 20) + "</body></html>", NODES - 17


def p_text_at_limit(mb):
    # As many paragraphs as the limit allows, each with real words: many blocks and much text.
    return "<html><body>" + "<p>Words of the article, one short line each.</p>" * (NODES - 20) + "</body></html>", NODES - 18


def attrs_at_limit(mb):
    tag = "<i " + " ".join(f"a{i}" for i in range(59)) + ">w</i>\n"
    n = (NODES - 20) // 60
    return "<html><body>" + PARA + tag * n + "</body></html>", 3 + 60 * n


def comments_at_limit(mb):
    return "<html><body>" + PARA + "<!---->" * (NODES - 20) + "</body></html>", NODES - 17


PAGES = {f.__name__.replace("_", "-"): f for f in
         [attrs_lt, attrs_3000, attrs_small, p_w, comments, deep_end_tags, deep_nesting,
          unclosed_comment, unclosed_script, big_text, p_w_at_limit, p_text_at_limit, attrs_at_limit, comments_at_limit]}


def main():
    global NODES
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--mb", type=float, default=45)
    ap.add_argument("--nodes", type=int, default=500_000, help="the node limit (ExtractLimits.nodes)")
    ap.add_argument("--only", nargs="*", choices=sorted(PAGES))
    args = ap.parse_args()
    NODES = args.nodes
    os.makedirs(args.out, exist_ok=True)
    for name in args.only or PAGES:
        path = os.path.join(args.out, name + ".html")
        html, nodes = PAGES[name](args.mb)
        with open(path, "w") as f:
            f.write(html)
        print(path, len(html.encode()), nodes)


if __name__ == "__main__":
    main()
