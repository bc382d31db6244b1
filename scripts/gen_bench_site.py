#!/usr/bin/env python3
"""Generates the fetch benchmark's article site: N pages spread over H hosts (127.0.0.1..H).

Usage: gen_bench_site.py OUT_DIR [--pages 20000] [--hosts 9] [--port 18080]

Writes OUT_DIR/site/127.0.0.X/<yyyy>/<mm>/<slug>.html (10-60 KB of varied, realistic article
markup: navigation, header, article with headings, paragraphs, lists, figures, quotes, tables,
related links, comments, footer, inline scripts), OUT_DIR/urls.txt (one URL per line, hosts
interleaved) and OUT_DIR/curl.cfg (the same URLs for `curl -K`, output to /dev/null).
Deterministic (fixed seed). Never commit the output.
"""
import argparse
import os
import random

WORDS = """the a of to and in that is was for on with as by at from his her it an were are which this be
have has had not but or they their one all been more would when there who will no if out so up said what
its about into than them can only other new some could time these two may then do first any my now such
like our over man me even most made after also did many before must through back years where much your way
well down should because each just those people how too little state good very make world still own see men
work long get here between both life being under never day same another know while last might us great old
year off come since against go came right used take three states himself few house use during without again
place american around however home small found thought went say part once general high upon school every
government united don't does got left number course war until always away something fact though water less
public put think almost hand enough far took head yet system better set told nothing night end why called
didn't eyes find going look asked later knew point next city business give group toward young let room
president side social given present several order national possible rather second face per among form
important often things looking early white case john become large big need four within felt children along
saw best church ever least power development light thing seemed family interest want members mind country
area others done turned although open problem sense service certain kind began thus help means whole matter
perhaps itself york times human law line above name example action company hands local show whether five
history gave today either act feet across taken past quite anything seen having death experience body half
really week words field car already themselves information tell together college shall money period held
keep sure probably free real seems behind cannot miss political air question making office brought whose
special heard major problems ago became federal moment study available known result street economic boy
reason change position south board individual job society areas west close turn love community true court
force full seem am front policy council research climate energy market report data city river mountain
election minister science technology health education museum festival harbour railway bridge library""".split()

SECTIONS = ["World", "Politics", "Business", "Science", "Technology", "Health", "Culture", "Sport", "Travel",
            "Opinion", "Environment", "Education"]
NAMES = ["Anna Keller", "Marc Dubois", "Li Wei", "Sofia Rossi", "James Carter", "Olga Petrova", "Yuki Tanaka",
         "Carlos Mendes", "Fatima Zahra", "Peter Jansen", "Emma Larsen", "David Cohen"]


def words(rng, n):
    return " ".join(rng.choices(WORDS, k=n))


def sentence(rng):
    s = words(rng, rng.randint(8, 26))
    return s[0].upper() + s[1:] + rng.choice([".", ".", ".", "?", "!"])


def paragraph(rng):
    return " ".join(sentence(rng) for _ in range(rng.randint(2, 7)))


def nav(rng):
    links = "".join('<li><a href="/%s/">%s</a></li>' % (s.lower(), s) for s in SECTIONS)
    return ('<nav class="site-nav" role="navigation"><ul class="menu">%s</ul>'
            '<form class="search" action="/search"><input name="q" placeholder="Search"></form></nav>' % links)


def article_body(rng, target_bytes):
    parts = []
    size = 0
    while size < target_bytes:
        kind = rng.random()
        if kind < 0.70:
            block = "<p>%s</p>" % paragraph(rng)
        elif kind < 0.78:
            block = "<h2>%s</h2>" % words(rng, rng.randint(3, 8)).capitalize()
        elif kind < 0.84:
            block = "<ul>%s</ul>" % "".join("<li>%s</li>" % words(rng, rng.randint(4, 12))
                                           for _ in range(rng.randint(3, 6)))
        elif kind < 0.89:
            n = rng.randint(100, 999)
            block = ('<figure class="image"><img src="/img/%d.jpg" alt="%s" width="800" height="450">'
                     '<figcaption>%s</figcaption></figure>' % (n, words(rng, 5), sentence(rng)))
        elif kind < 0.93:
            block = "<blockquote><p>%s</p><cite>%s</cite></blockquote>" % (sentence(rng), rng.choice(NAMES))
        elif kind < 0.96:
            rows = "".join("<tr><td>%s</td><td>%d</td><td>%.1f</td></tr>" % (words(rng, 2), rng.randint(1, 999),
                                                                           rng.random() * 100)
                           for _ in range(rng.randint(3, 8)))
            block = "<table><thead><tr><th>Item</th><th>Count</th><th>Share</th></tr></thead><tbody>%s</tbody></table>" % rows
        else:
            block = ('<div class="ad-slot" data-ad="inline"><script>window.ads=window.ads||[];'
                     'ads.push({slot:"%d"});</script></div>' % rng.randint(1, 99999))
        parts.append(block)
        size += len(block)
    return "\n".join(parts)


def page(rng, host, path, title):
    section = rng.choice(SECTIONS)
    author = rng.choice(NAMES)
    date = "20%02d-%02d-%02dT%02d:%02d:00Z" % (rng.randint(15, 25), rng.randint(1, 12), rng.randint(1, 28),
                                              rng.randint(0, 23), rng.randint(0, 59))
    target = int(rng.triangular(6_000, 52_000, 18_000))
    related = "".join('<li><a href="/%s/%d.html">%s</a></li>' % (section.lower(), rng.randint(1, 99999),
                                                                 words(rng, 6).capitalize())
                      for _ in range(rng.randint(4, 10)))
    comments = "".join('<li class="comment"><span class="author">%s</span><p>%s</p></li>' % (
        rng.choice(NAMES), sentence(rng)) for _ in range(rng.randint(0, 8)))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{title} | {section} | Example News {host}</title>
<meta name="description" content="{sentence(rng)}">
<meta property="og:title" content="{title}"><meta property="og:type" content="article">
<meta property="og:url" content="http://{host}{path}"><meta name="author" content="{author}">
<link rel="canonical" href="http://{host}{path}"><link rel="stylesheet" href="/static/site.css">
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"NewsArticle","headline":"{title}",
"datePublished":"{date}","author":{{"@type":"Person","name":"{author}"}}}}</script>
<script>window.dataLayer=window.dataLayer||[];function gtag(){{dataLayer.push(arguments)}}gtag('js',new Date());</script>
</head><body class="article-page">
<div class="cookie-banner" id="cookies"><p>We use cookies to improve your experience.</p><button>Accept all</button></div>
<header class="site-header"><a class="logo" href="/">Example News</a>{nav(rng)}</header>
<main id="content"><article class="post">
<header><p class="kicker">{section}</p><h1>{title}</h1>
<p class="byline">By <a rel="author" href="/authors/{author.split()[0].lower()}">{author}</a> ·
<time datetime="{date}">{date[:10]}</time></p></header>
<div class="share"><a href="#">Share</a> <a href="#">Tweet</a> <a href="#">Email</a></div>
<div class="article-body">
{article_body(rng, target)}
</div>
<footer class="tags">Tags: <a href="/tag/{section.lower()}">{section}</a> <a href="/tag/news">news</a></footer>
</article>
<aside class="related"><h3>You might also like</h3><ul>{related}</ul></aside>
<section class="comments"><h3>Comments</h3><ol>{comments}</ol></section>
</main>
<footer class="site-footer"><p>&copy; Example News. All rights reserved.</p>
<ul><li><a href="/about">About</a></li><li><a href="/privacy">Privacy</a></li><li><a href="/contact">Contact</a></li></ul>
</footer><script src="/static/app.js" async></script></body></html>
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--pages", type=int, default=20000)
    ap.add_argument("--hosts", type=int, default=9)
    ap.add_argument("--port", type=int, default=18080)
    args = ap.parse_args()
    rng = random.Random(20261128)
    urls = []
    for i in range(args.pages):
        host = "127.0.0.%d" % (i % args.hosts + 1)
        title = words(rng, rng.randint(4, 10)).capitalize()
        slug = "-".join(title.lower().split()[:6]).replace("'", "")
        path = "/%d/%02d/%s-%d.html" % (2015 + i % 11, i % 12 + 1, slug, i)
        folder = os.path.join(args.out, "site", host, os.path.dirname(path).lstrip("/"))
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(args.out, "site", host, path.lstrip("/")), "w") as f:
            f.write(page(rng, host, path, title))
        urls.append("http://%s:%d%s" % (host, args.port, path))
    with open(os.path.join(args.out, "urls.txt"), "w") as f:
        f.write("\n".join(urls) + "\n")
    with open(os.path.join(args.out, "curl.cfg"), "w") as f:
        for u in urls:
            f.write('url = "%s"\noutput = "/dev/null"\n' % u)


if __name__ == "__main__":
    main()
