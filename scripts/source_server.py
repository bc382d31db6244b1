#!/usr/bin/env python3
"""A 127.0.0.1 HTTP server for the recurring-source tests: serves the files of the folder given as its
argument with an ETag (a hash of the content) and answers 304 to a matching If-None-Match; paths under
/fail/ answer 503. Every request is appended to <folder>/requests.log ("GET /path 200") before it is answered. Prints its
port on the first line of stdout and exits when its standard input closes."""
import hashlib
import http.server
import os
import sys
import threading

ROOT = os.path.abspath(sys.argv[1])
LOCK = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    def log(self, status):
        with LOCK, open(os.path.join(ROOT, "requests.log"), "a") as f:
            f.write("GET %s %d\n" % (self.path, status))

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path.startswith("/fail/"):
            self.log(503)
            self.send_response(503)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        file = os.path.normpath(os.path.join(ROOT, path.lstrip("/")))
        if not file.startswith(ROOT + os.sep) or not os.path.isfile(file):
            self.log(404)
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        with open(file, "rb") as f:
            body = f.read()
        etag = '"%s"' % hashlib.sha1(body).hexdigest()[:16]
        if self.headers.get("If-None-Match") == etag:
            self.log(304)
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        kind = "application/rss+xml" if file.endswith(".rss") else "application/xml"
        for ext, other in ((".html", "text/html; charset=utf-8"), (".txt", "text/plain"), (".png", "image/png")):
            if file.endswith(ext):
                kind = other
        self.log(200)
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("ETag", etag)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
threading.Thread(target=server.serve_forever, daemon=True).start()
sys.stdin.read()
