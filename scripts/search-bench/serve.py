#!/usr/bin/env python3
"""Serves a built site on 127.0.0.1 as a static host would, for the search benchmark.

    python3 serve.py OUTPUT_DIR [BASE_PATH]      (BASE_PATH default /)

Prints the port it listens on, then serves until killed. What a reader's browser
gets from a typical host, and what http.server lacks:
- gzip (level 6) for text types (html, css, js, json, svg, xml, txt) when the browser
  accepts it; binary files (images, fonts, Pagefind's already-compressed index files,
  application/octet-stream) go as they are.
- HTTP Range requests (one range: bytes=A-B, A-, -N) answered 206 with Content-Range,
  on the file's bytes (as nginx does, a range response is never gzipped); 416 when the
  range is outside the file. Accept-Ranges: bytes on every file.
Anything outside BASE_PATH, or outside OUTPUT_DIR after resolving, is 404.
"""
import gzip
import mimetypes
import os
import re
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

TEXT_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml",
              "application/xml", "application/atom+xml", "application/manifest+json")
RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def content_type(path):
    kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind in ("application/javascript", "application/json"):
        return kind + "; charset=utf-8", True
    return kind, kind.startswith(TEXT_TYPES)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a real host
    root = "."
    base = "/"
    gz_cache = {}  # (path, mtime) -> gzipped bytes: compress each file once

    def log_message(self, *args):
        pass

    def do_HEAD(self):
        self.do_GET(head=True)

    def do_GET(self, head=False):
        path = self.resolve(unquote(urlsplit(self.path).path))
        if path is None:
            return self.send_error(404)
        with open(path, "rb") as f:
            data = f.read()
        kind, text = content_type(path)
        wanted = self.headers.get("Range")
        if wanted:
            return self.send_range(data, kind, wanted, head)
        encoding = None
        if text and "gzip" in self.headers.get("Accept-Encoding", ""):
            key = (path, os.stat(path).st_mtime_ns)
            if key not in self.gz_cache:
                self.gz_cache[key] = gzip.compress(data, 6, mtime=0)
            data, encoding = self.gz_cache[key], "gzip"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.send_header("Vary", "Accept-Encoding")
        self.send_body(data, head)

    def send_range(self, data, kind, wanted, head):
        m = RANGE.match(wanted.strip())
        size = len(data)
        if m and m.group(1):
            start = int(m.group(1))
            end = min(int(m.group(2)), size - 1) if m.group(2) else size - 1
        elif m and m.group(2):
            start, end = max(size - int(m.group(2)), 0), size - 1
        else:
            start, end = size, 0
        if start >= size or start > end:
            self.send_response(416)
            self.send_header("Content-Range", f"bytes */{size}")
            return self.send_body(b"", head)
        self.send_response(206)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_body(data[start:end + 1], head)

    def send_body(self, data, head):
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if not head:
            self.wfile.write(data)

    def resolve(self, url_path):
        if not url_path.startswith(self.base):
            return None
        rel = url_path[len(self.base):]
        path = os.path.realpath(os.path.join(self.root, rel))
        if path != self.root and not path.startswith(self.root + os.sep):
            return None
        if os.path.isdir(path):
            if not url_path.endswith("/"):
                return None
            path = os.path.join(path, "index.html")
        return path if os.path.isfile(path) else None


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    Handler.root = os.path.realpath(sys.argv[1])
    base = sys.argv[2] if len(sys.argv) == 3 else "/"
    Handler.base = base if base.endswith("/") else base + "/"
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
