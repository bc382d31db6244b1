#!/usr/bin/env python3
"""Scores Decant's metadata (the release build's `decant extract --format json`).

1. readability-dev: against Mozilla Readability's expected metadata (metadata.json):
   title exact, byline exact / lenient, description present, published day, language.
2. --htmldate: on every dev page of ../shared/eval/*-dev, compares Decant's `published` day with
   htmldate's (extensive_search=True, original_date=True, the page's URL from ground-truth.json):
   how often they agree, Decant has none where htmldate has one, or they differ.
   htmldate's answers are cached (--cache) since they take a few minutes.

Usage (from the project root, after `swift build -c release`):
  python3 scripts/metadata-score.py                       # readability-dev only
  python3 scripts/metadata-score.py --htmldate            # plus the htmldate comparison
  python3 scripts/metadata-score.py --htmldate --show 40  # and list 40 disagreements

Definitions: text is compared after collapsing whitespace. Byline lenient: the letters and digits of
both, lower-cased, are equal or one contains the other (a missing byline matches a missing one).
Description present: on the pages whose expected excerpt is not empty. Published: the day
(YYYY-MM-DD, the page's own local date as written) on pages with an expected publishedTime.
Language: case-insensitive equality with the expected `lang`, on pages that have one.
"""
import argparse, gzip, json, os, re, subprocess, sys
from concurrent.futures import ThreadPoolExecutor

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ap = argparse.ArgumentParser()
ap.add_argument("--eval", default=os.path.join(root, "..", "shared", "eval"))
ap.add_argument("--decant", default=os.path.join(root, ".build", "release", "decant"))
ap.add_argument("--jobs", type=int, default=2)
ap.add_argument("--htmldate", action="store_true", help="compare published dates with htmldate on all dev sets")
ap.add_argument("--cache", default="/tmp/decant-htmldate-cache.json", help="htmldate's answers, reused across runs")
ap.add_argument("--show", type=int, default=0, help="list this many date disagreements")
ap.add_argument("--verbose", action="store_true", help="list readability-dev mismatches")
a = ap.parse_args()


def decant(page: bytes, url: str) -> dict:
    cmd = [a.decant, "extract", "-", "--format", "json"] + (["--url", url] if url else [])
    r = subprocess.run(cmd, input=page, capture_output=True, timeout=60)
    try:
        return json.loads(r.stdout.decode("utf-8"))  # printed also when the page has no article (exit 1)
    except ValueError:
        return {}


def collapse(s):
    return " ".join((s or "").split())


def letters(s):
    return re.sub(r"[\W_]+", "", (s or "").lower())


def day(s):
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", s or "")
    return m.group(0) if m else None


def pages(name):
    folder = os.path.join(a.eval, name)
    truth = json.load(open(os.path.join(folder, "ground-truth.json"), encoding="utf-8"))
    for pid, rec in sorted(truth.items()):
        yield pid, rec.get("url") or "", os.path.join(folder, "html", pid + ".html.gz")


def run_decant(items):
    def one(item):
        pid, url, path = item
        return pid, decant(gzip.open(path).read(), url)
    with ThreadPoolExecutor(a.jobs) as pool:
        return dict(pool.map(one, items))


def readability():
    expected = json.load(open(os.path.join(a.eval, "readability-dev", "metadata.json"), encoding="utf-8"))
    items = list(pages("readability-dev"))
    got = run_decant(items)
    n = len(items)
    title = byline = lenient = 0
    desc_pages = desc = 0
    date_pages = date_right = date_missing = 0
    lang_pages = lang = 0
    misses = []
    for pid, _, _ in items:
        e, g = expected[pid], got[pid]
        if collapse(e.get("title")) == collapse(g.get("title")):
            title += 1
        else:
            misses.append(("title", pid, e.get("title"), g.get("title")))
        eb, gb = letters(e.get("byline")), letters(g.get("author"))
        if collapse(e.get("byline")) == collapse(g.get("author")):
            byline += 1
        if eb == gb or (eb and gb and (eb in gb or gb in eb)):
            lenient += 1
        else:
            misses.append(("byline", pid, e.get("byline"), g.get("author")))
        if collapse(e.get("excerpt")):
            desc_pages += 1
            if collapse(g.get("description")):
                desc += 1
            else:
                misses.append(("description", pid, e.get("excerpt"), None))
        if e.get("publishedTime"):
            date_pages += 1
            if day(g.get("published")) == day(e["publishedTime"]):
                date_right += 1
            else:
                date_missing += g.get("published") is None
                misses.append(("published", pid, e["publishedTime"], g.get("published")))
        if e.get("lang"):
            lang_pages += 1
            if (e["lang"] or "").lower() == (g.get("language") or "").lower():
                lang += 1
            else:
                misses.append(("language", pid, e["lang"], g.get("language")))
    print(f"readability-dev ({n} pages), Decant vs Readability's expected metadata")
    print(f"  title exact        {title / n:.3f}  ({title}/{n})")
    print(f"  byline exact       {byline / n:.3f}  ({byline}/{n})")
    print(f"  byline lenient     {lenient / n:.3f}  ({lenient}/{n})")
    print(f"  description present {desc / desc_pages:.3f}  ({desc}/{desc_pages} pages with an excerpt)")
    print(f"  published day      {date_right / date_pages:.3f}  ({date_right}/{date_pages}, {date_missing} missing)")
    print(f"  language exact     {lang / lang_pages:.3f}  ({lang}/{lang_pages})")
    if a.verbose:
        for kind, pid, e, g in misses:
            print(f"    {kind:12} {pid}: expected {e!r}, got {g!r}")


def htmldate_dates(items):
    cache = {}
    if os.path.exists(a.cache):
        cache = json.load(open(a.cache, encoding="utf-8"))
    todo = [it for it in items if it[0] not in cache]
    if todo:
        import htmldate  # only needed to fill the cache
        print(f"htmldate {htmldate.__version__}: {len(todo)} pages to date (cached in {a.cache})", file=sys.stderr)

        def one(item):
            key, url, path = item
            try:
                d = htmldate.find_date(gzip.open(path).read(), url=url or None,
                                       extensive_search=True, original_date=True)
            except Exception:  # a page htmldate cannot read counts as undated
                d = None
            return key, d
        with ThreadPoolExecutor(a.jobs) as pool:
            for k, (key, d) in enumerate(pool.map(one, todo)):
                cache[key] = d
                if k % 200 == 199:
                    json.dump(cache, open(a.cache, "w"))
        json.dump(cache, open(a.cache, "w"))
    return cache


def compare_htmldate():
    sets = sorted(d for d in os.listdir(a.eval) if d.endswith("-dev") and os.path.isdir(os.path.join(a.eval, d)))
    items = [(f"{s}/{pid}", url, path) for s in sets for pid, url, path in pages(s)]
    theirs = htmldate_dates(items)
    ours = {k: day(v.get("published")) for k, v in run_decant(items).items()}
    kinds = ["agree", "decant missing", "differ", "decant only", "neither"]

    def tally(keys, skip_jan1=False):
        counts = dict.fromkeys(kinds, 0)
        for key in keys:
            h, d = day(theirs.get(key)), ours.get(key)
            if skip_jan1 and h and h.endswith("-01-01"):
                h = None  # htmldate's year-only guesses (copyright lines, bare years) are not days
            counts["agree" if h and d and h == d else "differ" if h and d else "decant missing" if h
                   else "decant only" if d else "neither"] += 1
        return counts

    keys = [k for k, _, _ in items]
    n = len(keys)
    print(f"published vs htmldate (extensive_search, original_date) on {n} dev pages of {len(sets)} sets")
    print(f"  {'set':22}" + "".join(f"{k:>15}" for k in kinds))
    for s in sets + ["all", "all, no Jan-1 guess"]:
        sel = keys if s.startswith("all") else [k for k in keys if k.startswith(s + "/")]
        c = tally(sel, skip_jan1=s.endswith("guess"))
        print(f"  {s[:-4] if s.endswith('-dev') else s:22}" + "".join(f"{c[k]:>15}" for k in kinds))
    c = tally(keys)
    dated = c["agree"] + c["differ"] + c["decant missing"]
    print(f"  where htmldate has a date: agree {c['agree'] / max(1, dated):.3f}, "
          f"decant missing {c['decant missing'] / max(1, dated):.3f}, differ {c['differ'] / max(1, dated):.3f}")
    shown = 0
    for key, url, _ in items:
        h, d = day(theirs.get(key)), ours.get(key)
        if h != d and h and shown < a.show:
            shown += 1
            print(f"    {key}: htmldate {h}, decant {d}  {url}")


readability()
if a.htmldate:
    compare_htmldate()
