#!/usr/bin/env python3
"""A misbehaving HTTP server for the fetcher's fault tests (Python 3 standard library only).

Binds 127.0.0.1 on an ephemeral port, prints the port on the first line of stdout, and serves
one route per fault. It exits when its standard input closes, so it never outlives the test
process that started it. Every slow route is bounded in time.

Routes (query parameters in brackets):
  /ok                     a small UTF-8 article
  /never                  accepts, reads the request, never answers (closes after 30 s)
  /stall                  headers and half the body, then silence (30 s)
  /trickle                a body at 1 byte per second (30 s at most)
  /reset                  half a header line, then a TCP reset
  /loop/a, /loop/b        redirect to each other forever
  /chain/N                redirects N times, then /ok
  /redirect?to=URL        302 to URL (any scheme)
  /status/CODE            that status with a small HTML body
  /flaky?key=K&fail=N&status=S[&retry-after=R]
                          the first N requests of key K answer S (with Retry-After R), then /ok's page
  /endless                a chunked body that never ends (stops after 60 s or 1 GB)
  /big                    a 2 MB page with its Content-Length
  /gzip-bomb              64 MiB of zeros gzip-compressed (about 64 KB on the wire)
  /gzip-corrupt           Content-Encoding: gzip with bytes that are not gzip
  /pdf, /png              a (tiny) PDF / PNG
  /empty                  200 text/html with an empty body
  /no-type                an HTML page without Content-Type
  /no-type-binary         binary bytes without Content-Type
  /charset?enc=E&where=W  a page in encoding E (windows-1251, shift_jis, gb18030, latin-1), the
                          charset declared in W: header, meta, both, conflict (header right, meta
                          wrong) or none
  /etag                   ETag "v1"; 304 on If-None-Match: "v1"
  /lastmod                Last-Modified fixed; 304 on a matching If-Modified-Since
  /robots.txt             rules per user agent (DisallowBot, DelayBot; CrlfBot: BOM and CRLF lines);
                          503 for Robots503Bot, 404 for Robots404Bot; SharedBot-*: Crawl-delay 1,
                          Disallow /private (counted per agent, for the shared-robots tests)
  /private, /private/open, /public/...  pages for the robots tests
  /count?key=K            how many requests key K has seen (for tests)
  /slow?key=K             answers after 200 ms, tracking how many requests of key K overlap
  /overlap?key=K          the most requests of key K seen at once
  /conn                   the client's port (the same on a reused connection)
  /article/N              a distinct small article number N (spool, chaos and benchmark tests)
"""
import gzip
import http.server
import os
import socket
import socketserver
import struct
import sys
import threading
import time
import zlib
from urllib.parse import parse_qs, urlparse

ARTICLE = """<!DOCTYPE html>
<html><head><title>{title}</title>{meta}</head>
<body><article><h1>{title}</h1>
<p>{text}</p>
<p>{text}</p>
<p>Second paragraph of the article, long enough to count as content for any cleaner.</p>
</article></body></html>
"""

TEXTS = {
    "windows-1251": ("Новости", "Съешь же ещё этих мягких французских булок, да выпей чаю. "
                     "В чащах юга жил бы цитрус? Да, но фальшивый экземпляр! Широкая электрификация "
                     "южных губерний даст мощный толчок подъёму сельского хозяйства."),
    "shift_jis": ("ニュース", "いろはにほへと ちりぬるを わかよたれそ つねならむ。日本語の記事です。"
                  "今日は東京で新しい図書館が開館しました。多くの市民が訪れ、本を借りていました。"),
    "gb18030": ("新闻", "我能吞下玻璃而不伤身体。这是一篇中文文章。今天北京举行了新的图书馆开馆仪式，"
                "许多市民前来参观并借阅图书。"),
    "latin-1": ("Nouvelles", "Voix ambiguë d'un coeur qui, au zéphyr, préfère les jattes de kiwis. "
                "Le garçon à l'école était très gêné. Grüße aus Köln, schöne Straße."),
}
WRONG = {"windows-1251": "iso-8859-1", "shift_jis": "windows-1252", "gb18030": "iso-8859-1", "latin-1": "windows-1251"}

ROBOTS = b"""# Decant fault server
User-agent: DisallowBot
Disallow: /private
Allow: /private/open

User-agent: DelayBot
Crawl-delay: 1
Disallow: /nothing-here

User-agent: *
Disallow:
"""

SHARED_ROBOTS = b"""User-agent: *
Crawl-delay: 1
Disallow: /private
"""

LAST_MODIFIED = "Wed, 21 Oct 2015 07:28:00 GMT"
COUNTERS = {}
ACTIVE = {}
OVERLAP = {}
LOCK = threading.Lock()
BOMB = None


def bomb():
    global BOMB
    if BOMB is None:
        c = zlib.compressobj(6, zlib.DEFLATED, 31)
        zeros = b"\0" * (1 << 20)
        parts = [c.compress(zeros) for _ in range(64)]
        parts.append(c.flush())
        BOMB = b"".join(parts)
    return BOMB


def count(key):
    with LOCK:
        COUNTERS[key] = COUNTERS.get(key, 0) + 1
        return COUNTERS[key]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FaultServer/1.0"
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def send(self, status, body=b"", ctype="text/html; charset=utf-8", headers=()):
        self.send_response(status)
        if ctype is not None:
            self.send_header("Content-Type", ctype)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def page(self, title="OK page", text="Plain text of a small article."):
        return ARTICLE.format(title=title, meta="", text=text).encode()

    def do_GET(self):
        url = urlparse(self.path)
        q = {k: v[0] for k, v in parse_qs(url.query).items()}
        path = url.path
        ua = self.headers.get("User-Agent", "")
        if path == "/ok":
            return self.send(200, self.page())
        if path == "/never":
            time.sleep(30)
            self.close_connection = True
            return
        if path == "/stall":
            body = self.page() * 4
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            time.sleep(30)
            self.close_connection = True
            return
        if path == "/trickle":
            body = self.page()
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.flush()
            for i in range(30):
                try:
                    self.wfile.write(body[i:i + 1])
                    self.wfile.flush()
                except OSError:
                    break
                time.sleep(1)
            self.close_connection = True
            return
        if path == "/reset":
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Ty")
            self.wfile.flush()
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            self.connection.close()
            return
        if path in ("/loop/a", "/loop/b"):
            other = "/loop/b" if path == "/loop/a" else "/loop/a"
            return self.send(302, b"", headers=[("Location", other)])
        if path == "/redirect":
            return self.send(302, b"", headers=[("Location", q.get("to", "/ok"))])
        if path.startswith("/chain/"):
            n = int(path.rsplit("/", 1)[1])
            target = "/ok" if n <= 0 else "/chain/%d" % (n - 1)
            return self.send(301, b"", headers=[("Location", target)])
        if path.startswith("/article/"):
            n = path.rsplit("/", 1)[1]
            text = ("Report number %s from the test newsroom. " % n) * 4
            return self.send(200, self.page(title="Article " + n, text=text))
        if path.startswith("/status/"):
            code = int(path.rsplit("/", 1)[1])
            return self.send(code, b"<html><body><p>status page</p></body></html>")
        if path == "/flaky":
            n = count("flaky:" + q.get("key", ""))
            if n <= int(q.get("fail", "1")):
                headers = [("Retry-After", q["retry-after"])] if "retry-after" in q else []
                return self.send(int(q.get("status", "503")), b"<p>try later</p>", headers=headers)
            return self.send(200, self.page(title="Recovered page"))
        if path == "/slow":
            key = q.get("key", "")
            with LOCK:
                ACTIVE[key] = ACTIVE.get(key, 0) + 1
                OVERLAP[key] = max(OVERLAP.get(key, 0), ACTIVE[key])
            time.sleep(0.2)
            with LOCK:
                ACTIVE[key] -= 1
            return self.send(200, self.page(title="Slow page"))
        if path == "/overlap":
            with LOCK:
                n = OVERLAP.get(q.get("key", ""), 0)
            return self.send(200, str(n).encode())
        if path == "/conn":
            return self.send(200, ("<p>%d</p>" % self.client_address[1]).encode())
        if path == "/count":
            with LOCK:
                n = COUNTERS.get(q.get("key", ""), 0)
            return self.send(200, str(n).encode())
        if path == "/endless":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b"<p>" + b"endless " * 8000 + b"</p>\n"
            frame = b"%x\r\n%s\r\n" % (len(chunk), chunk)
            deadline = time.time() + 60
            sent = 0
            try:
                while time.time() < deadline and sent < (1 << 30):
                    self.wfile.write(frame)
                    sent += len(chunk)
            except OSError:
                pass
            self.close_connection = True
            return
        if path == "/big":
            return self.send(200, b"<p>" + b"x" * 2_000_000 + b"</p>")
        if path == "/gzip-bomb":
            return self.send(200, bomb(), headers=[("Content-Encoding", "gzip")])
        if path == "/gzip-corrupt":
            good = gzip.compress(self.page())
            bad = good[:10] + bytes((b ^ 0x5A) for b in good[10:60]) + good[60:]
            return self.send(200, bad, headers=[("Content-Encoding", "gzip")])
        if path == "/pdf":
            return self.send(200, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", ctype="application/pdf")
        if path == "/png":
            return self.send(200, b"\x89PNG\r\n\x1a\n" + b"\0" * 64, ctype="image/png")
        if path == "/empty":
            return self.send(200, b"")
        if path == "/no-type":
            return self.send(200, self.page(title="Untyped page"), ctype=None)
        if path == "/no-type-binary":
            return self.send(200, bytes(range(256)) * 4, ctype=None)
        if path == "/charset":
            enc = q.get("enc", "windows-1251")
            where = q.get("where", "header")
            title, text = TEXTS[enc]
            meta_enc = {"meta": enc, "both": enc, "conflict": WRONG[enc]}.get(where)
            if meta_enc == "latin-1":
                meta_enc = "iso-8859-1"
            meta = '<meta charset="%s">' % meta_enc if meta_enc else ""
            body = ARTICLE.format(title=title, meta=meta, text=text).encode(enc)
            label = "iso-8859-1" if enc == "latin-1" else enc
            ctype = "text/html; charset=%s" % label if where in ("header", "both", "conflict") else "text/html"
            return self.send(200, body, ctype=ctype)
        if path == "/etag":
            if self.headers.get("If-None-Match") == '"v1"':
                return self.send(304, b"", ctype=None, headers=[("ETag", '"v1"')])
            return self.send(200, self.page(title="ETag page"), headers=[("ETag", '"v1"')])
        if path == "/lastmod":
            if self.headers.get("If-Modified-Since") == LAST_MODIFIED:
                return self.send(304, b"", ctype=None)
            return self.send(200, self.page(title="Dated page"), headers=[("Last-Modified", LAST_MODIFIED)])
        if path == "/robots.txt":
            count("robots:" + ua.split("/")[0])
            if "SharedBot" in ua:  # one file for a whole cluster's nodes (count key per test's agent)
                return self.send(200, SHARED_ROBOTS, ctype="text/plain")
            if "Robots503Bot" in ua:
                return self.send(503, b"busy", ctype="text/plain")
            if "CrlfBot" in ua:  # Windows line endings after a UTF-8 byte-order mark
                return self.send(200, b"\xef\xbb\xbfUser-agent: CrlfBot\r\nDisallow: /private\r\n", ctype="text/plain")
            if "Robots404Bot" in ua:
                return self.send(404, b"no robots here", ctype="text/plain")
            return self.send(200, ROBOTS, ctype="text/plain")
        if path.startswith("/private") or path.startswith("/public"):
            count("page:" + ua.split("/")[0])
            return self.send(200, self.page(title="Page " + path))
        return self.send(404, b"<p>not found</p>")


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def handle_error(self, request, client_address):
        pass  # clients that hang up mid-response are the point of this server


def main():
    bomb()  # built before the port is announced, so no test waits for it
    server = Server(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    # Exit when the parent closes our stdin (or dies).
    try:
        sys.stdin.read()
    finally:
        os._exit(0)


if __name__ == "__main__":
    main()
