#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# A stand-in SMS gateway on loopback for the script tests: every POST is
# appended to LOG as one JSON line {path, headers, body}; /ok answers 200,
# /fail 500, /slow answers 200 after 3 s (for a client's timeout). The
# port it got is written to PORTFILE once it listens.
# usage: record_server.py PORTFILE LOG
import http.server
import json
import os
import sys
import time

port_file, log_file = sys.argv[1], sys.argv[2]


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(n).decode("utf-8")
        with open(log_file, "a", encoding="utf-8") as f:
            f.write(json.dumps({"path": self.path,
                                "headers": dict(self.headers.items()),
                                "body": body}, ensure_ascii=False) + "\n")
        if self.path == "/slow":
            time.sleep(3)
        try:
            self.send_response(500 if self.path == "/fail" else 200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"ok":true}')
        except OSError:
            pass  # the client gave up (its timeout)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(port_file + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(port_file + ".tmp", port_file)
server.serve_forever()
