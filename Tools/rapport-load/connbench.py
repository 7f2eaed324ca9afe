#!/usr/bin/env python3
"""Connection flood benchmark for a running rapport-server (Docs/Performance.md, "Connections").

Opens N idle TCP connections (one client address) against the server, then samples the
server process's open descriptors (/proc/PID/fd), threads and resident memory before, while
the connections are held, right after they are closed and again after a pause; checks that
/healthz answers meanwhile and how many connections the server closed at once.

    python3 Tools/rapport-load/connbench.py --port 8080 --pid $(pgrep -n rapport-server) \
        --connections 2000 --hold 10 --settle 60

Linux only (reads /proc). Needs the open-file limit of this process above --connections
(it raises its own soft limit to the hard limit).
"""
import argparse
import json
import os
import resource
import select
import socket
import sys
import time


def sample(pid):
    fds = len(os.listdir(f"/proc/{pid}/fd"))
    threads = len(os.listdir(f"/proc/{pid}/task"))
    rss_kib = 0
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                rss_kib = int(line.split()[1])
    return {"fds": fds, "threads": threads, "rssMiB": round(rss_kib / 1024, 1)}


def health(host, port, timeout):
    start = time.monotonic()
    try:
        with socket.create_connection((host, port), timeout=timeout) as s:
            s.settimeout(timeout)
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n")
            data = b""
            while True:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
        status = data.split(b" ", 2)[1].decode() if data.startswith(b"HTTP/") else "none"
    except OSError as error:
        status = f"error: {error.__class__.__name__}"
    return {"status": status, "ms": round((time.monotonic() - start) * 1000, 1)}


def closed_by_server(connections):
    closed = 0
    poller = select.poll()
    for s in connections:
        poller.register(s, select.POLLIN)
    readable = {fd for fd, _ in poller.poll(0)}
    for s in connections:
        if s.fileno() not in readable:
            continue
        try:
            if s.recv(1, socket.MSG_PEEK) == b"":
                closed += 1
        except OSError:
            closed += 1
    return closed


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--pid", type=int, required=True, help="the server's process id (for /proc)")
    parser.add_argument("--connections", type=int, default=2000)
    parser.add_argument("--hold", type=float, default=10, help="seconds to hold the connections open")
    parser.add_argument("--settle", type=float, default=60, help="seconds to wait after closing before the last sample")
    parser.add_argument("--request", action="store_true",
                        help="send one keep-alive GET /healthz on each connection (and read the answer) before holding it")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    args = parser.parse_args()

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

    report = {"connections": args.connections}
    report["before"] = sample(args.pid)
    report["healthBefore"] = health(args.host, args.port, 5)

    connections, failures = [], 0
    start = time.monotonic()
    for _ in range(args.connections):
        try:
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.settimeout(5)
            s.connect((args.host, args.port))
            connections.append(s)
            if args.request:
                s.sendall(b"GET /healthz HTTP/1.1\r\nHost: bench\r\n\r\n")
        except OSError:
            failures += 1
            s.close()
    if args.request:
        answered = 0
        for s in connections:
            try:
                if s.recv(4096).startswith(b"HTTP/1.1 200"):
                    answered += 1
            except OSError:
                pass
        report["answered"] = answered
    report["opened"] = len(connections)
    report["connectFailures"] = failures
    report["openSeconds"] = round(time.monotonic() - start, 2)
    time.sleep(min(2, args.hold))
    report["during"] = sample(args.pid)
    report["healthDuring"] = health(args.host, args.port, 5)
    time.sleep(max(0, args.hold - 2))
    report["closedByServer"] = closed_by_server(connections)
    report["duringEnd"] = sample(args.pid)
    for s in connections:
        s.close()
    time.sleep(1)
    report["afterClose"] = sample(args.pid)
    time.sleep(args.settle)
    report["afterSettle"] = sample(args.pid)
    report["healthAfter"] = health(args.host, args.port, 5)

    if args.json:
        print(json.dumps(report))
        return
    print(f"connections opened {report['opened']} of {args.connections} in {report['openSeconds']} s "
          f"({failures} failed to connect); closed by the server while held: {report['closedByServer']}"
          + (f"; answered 200: {report['answered']}" if args.request else ""))
    print(f"{'moment':<22}{'fds':>7}{'threads':>9}{'RSS MiB':>10}")
    for key, label in [("before", "before"), ("during", "held (+2 s)"), ("duringEnd", f"held (+{args.hold:g} s)"),
                       ("afterClose", "closed (+1 s)"), ("afterSettle", f"closed (+{args.settle + 1:g} s)")]:
        row = report[key]
        print(f"{label:<22}{row['fds']:>7}{row['threads']:>9}{row['rssMiB']:>10}")
    for key in ["healthBefore", "healthDuring", "healthAfter"]:
        print(f"{key:<22} status {report[key]['status']} in {report[key]['ms']} ms")


if __name__ == "__main__":
    sys.exit(main())
