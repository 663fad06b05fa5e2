# SPDX-License-Identifier: MIT
"""A client that asks for a download and never reads it.

usage: slow_reader.py PORT PATH COOKIE

Connects from 127.0.0.1 with a small receive buffer, sends GET PATH with
the Cookie header, prints "sent" and then sleeps (up to 10 minutes) until
it is killed: the server's reply stays unsent, so the request is not
over (tests/scripts/heavy_pool.sh).
"""
import socket
import sys
import time

port, path, cookie = int(sys.argv[1]), sys.argv[2], sys.argv[3]
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.connect(("127.0.0.1", port))
s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\n"
          "\r\n".encode())
print("sent", flush=True)
time.sleep(600)
