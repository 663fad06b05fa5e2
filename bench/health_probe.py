# SPDX-License-Identifier: MIT
"""Health-probe latency, and slow clients to measure it against
(bench/health_bench).

usage: health_probe.py probe PORT SECONDS
    GET /healthz on a new connection from 127.0.0.1 every 20 ms for
    SECONDS (as a load balancer's probe does); prints
    "p50_ms p99_ms probes not_200". A probe that gets no answer in 10 s
    counts as not 200 with 10,000 ms.
usage: health_probe.py slow PORT COUNT
    Opens COUNT connections from 127.0.0.2 that send half a request and
    then one more header byte every 2 s (slowloris, never silent long
    enough for the read timeout); prints how many the server holds after
    the second round, then runs until killed.
"""
import http.client
import resource
import selectors
import socket
import sys
import time


def probe(port, seconds):
    lat, bad = [], 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        t0 = time.monotonic()
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            c.request("GET", "/healthz")
            r = c.getresponse()
            r.read()
            ok = r.status == 200
            c.close()
        except OSError:
            ok = False
        ms = (time.monotonic() - t0) * 1000
        if not ok:
            bad += 1
        lat.append(ms if ok else max(ms, 10000.0))
        time.sleep(max(0.0, 0.02 - (time.monotonic() - t0)))
    lat.sort()
    p50 = lat[len(lat) // 2]
    p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))]
    print(f"{p50:.2f} {p99:.2f} {len(lat)} {bad}")


def slow(port, count):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, count + 256), hard))
    sel = selectors.DefaultSelector()
    for _ in range(count):
        s = socket.socket()
        s.bind(("127.0.0.2", 0))
        s.setblocking(False)
        s.connect_ex(("127.0.0.1", port))
        sel.register(s, selectors.EVENT_READ)
    first, rounds = True, 0
    while True:
        time.sleep(0 if first else 2)
        for key in list(sel.get_map().values()):
            try:
                key.fileobj.send(b"GET /healthz HTTP/1.1\r\nX: " if first
                                 else b"x")
            except OSError:
                pass
        first = False
        for key, _ in sel.select(timeout=0.5):
            try:
                gone = not key.fileobj.recv(4096)
            except OSError:
                gone = True
            if gone:
                sel.unregister(key.fileobj)
                key.fileobj.close()
        rounds += 1
        if rounds == 2:
            print(f"slow: {len(sel.get_map())} of {count} held", flush=True)


if sys.argv[1] == "probe":
    probe(int(sys.argv[2]), float(sys.argv[3]))
else:
    slow(int(sys.argv[2]), int(sys.argv[3]))
