#!/usr/bin/env python3
"""A 127.0.0.1 HTTP server for the site-rule fetch tests: every page shows the request's User-Agent
and Cookie headers (`UA=[...]`, `Cookie=[...]`). Prints its port on the first line of stdout and
exits when its standard input closes."""
import http.server
import sys
import threading


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = ("<html><body><p>UA=[%s]</p><p>Cookie=[%s]</p></body></html>" % (
            self.headers.get("User-Agent", ""), self.headers.get("Cookie", ""))).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
threading.Thread(target=server.serve_forever, daemon=True).start()
sys.stdin.read()
