# SPDX-License-Identifier: MIT
"""Slow clients against a server on 127.0.0.1 (tests/scripts/slow_clients.sh).

usage: slow_clients.py PORT COUNT CAP

Opens COUNT connections from 127.0.0.2, each sending half a request and
then nothing, and checks that the server refuses those beyond CAP at once
(closed while the rest stay open), answers GET /healthz from 127.0.0.1
(200) while they are open, and closes the rest itself once they have been
silent for its read timeout. Every wait is bounded; no latency is
asserted. Exits 1 naming what failed.
"""
import http.client
import resource
import selectors
import socket
import sys
import time

port, count, cap = (int(a) for a in sys.argv[1:4])
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
if soft < count + 64:
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, count + 256), hard))


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def healthz():
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30,
                                      source_address=("127.0.0.1", 0))
    conn.request("GET", "/healthz")
    status = conn.getresponse().status
    conn.close()
    return status


sel = selectors.DefaultSelector()
socks = []
for _ in range(count):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.2", 0))
    s.setblocking(False)
    s.connect_ex(("127.0.0.1", port))
    socks.append(s)
    sel.register(s, selectors.EVENT_WRITE)

# half a request on each connection once it is up
closed = set()
pending = len(socks)
deadline = time.monotonic() + 60
while pending and time.monotonic() < deadline:
    for key, _ in sel.select(timeout=1):
        s = key.fileobj
        sel.unregister(s)
        pending -= 1
        try:
            s.send(b"GET /healthz HTTP/1.1\r\nHost: slow\r\n")
        except OSError:
            closed.add(s)
            continue
        sel.register(s, selectors.EVENT_READ)
if pending:
    fail(f"{pending} connections not established in 60 s")


def reap(until, want):
    """Counts server closes until want sockets are closed or until."""
    while len(closed) < want and time.monotonic() < until:
        for key, _ in sel.select(timeout=0.5):
            s = key.fileobj
            try:
                data = s.recv(4096)
            except OSError:
                data = b""
            if not data:
                sel.unregister(s)
                closed.add(s)


# the connections beyond the cap are closed at once
reap(time.monotonic() + 30, count - cap)
still_open = count - len(closed)
if still_open > cap:
    fail(f"{still_open} connections from one address open, cap {cap}")
if still_open == 0:
    fail("no slow connection was held (cap or timeout misconfigured?)")
print(f"slow_clients: {len(closed)} of {count} refused, {still_open} held")

status = healthz()
if status != 200:
    fail(f"/healthz answered {status} with {still_open} slow connections open")

# the held ones are closed by the server's read timeout
reap(time.monotonic() + 120, count)
if len(closed) != count:
    fail(f"{count - len(closed)} slow connections still open after 120 s")
status = healthz()
if status != 200:
    fail(f"/healthz answered {status} after the slow connections")
print("slow_clients: every slow connection closed by the server; "
      "/healthz answered 200")
