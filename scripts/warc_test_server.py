#!/usr/bin/env python3
"""A small HTTP/1.1 server on 127.0.0.1 for the WARC recording tests: prints its port, exits when stdin closes.

/robots.txt  plain text              /plain     HTML with Content-Length
/gzip        HTML, gzip, chunked     /etag      304 for If-None-Match "v1", else 200 with ETag "v1"
/redirect    302 to /plain, a body   /br        claims Content-Encoding: br whatever was asked
/bomb        64 MiB of zeros gzipped to 64 KiB
"""
import gzip
import http.server
import os
import socketserver
import sys
import threading
import zlib

PAGE = ("<!doctype html><html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        + "<p>{text}</p>" * 4 + "</article></body></html>")
TEXT = "A paragraph of the recorded article, long enough to be kept by the cleaner and to compress well. " * 3


def page(title):
    return PAGE.format(title=title, text=TEXT).encode()


def bomb():
    c = zlib.compressobj(6, zlib.DEFLATED, 31)
    return b"".join([c.compress(b"\0" * (1 << 20)) for _ in range(64)] + [c.flush()])


BOMB = bomb()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "WARCTestServer/1.0"

    def log_message(self, *args):
        pass

    def send(self, status, body=b"", ctype="text/html; charset=utf-8", headers=()):
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path = self.path.split("?")[0]
        if path == "/robots.txt":
            return self.send(200, b"User-agent: *\nDisallow: /private\n", ctype="text/plain")
        if path == "/plain":
            return self.send(200, page("Plain page"))
        if path == "/gzip":
            if "gzip" not in self.headers.get("Accept-Encoding", ""):
                return self.send(200, page("Gzip page"))
            data = gzip.compress(page("Gzip page"))
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for i in range(0, len(data), 100):
                part = data[i:i + 100]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            self.wfile.write(b"0\r\n\r\n")
            return
        if path == "/etag":
            if self.headers.get("If-None-Match") == '"v1"':
                return self.send(304, b"", ctype=None, headers=[("ETag", '"v1"')])
            return self.send(200, page("ETag page"), headers=[("ETag", '"v1"')])
        if path == "/redirect":
            return self.send(302, b"<p>moved to /plain</p>", headers=[("Location", "/plain")])
        if path == "/br":
            return self.send(200, b"\x1b\x0b\x00\xf8\x00not really brotli", headers=[("Content-Encoding", "br")])
        if path == "/bomb":
            return self.send(200, BOMB, headers=[("Content-Encoding", "gzip")])
        return self.send(404, b"<p>not found</p>")


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    server = Server(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        sys.stdin.read()
    finally:
        os._exit(0)


if __name__ == "__main__":
    main()
