#!/usr/bin/env python3
"""Restart-time benchmark of the real rapport-server process (Docs/Reliability.md, Docs/Performance.md).

Seeds a data directory once through the server's own storage (`serve --demo --demo-customers N`:
the demo organisation's customers and their history written through the sync server's
server-write path, in the change log like any other write), stops the server, then starts the
same binary on that directory again and again and times spawn -> first `200` from `/readyz`:

- `graceful`: after a SIGTERM shutdown (checkpointed WAL);
- `killed`: after a SIGKILL taken while the server was idle and ready (SQLite replays the WAL
  left behind, the audit anchors are checked, the lock is taken over).

Prints each restart, the median and max per kind, and the database size.

    swift build -c release --scratch-path .build-release --product rapport-server
    python3 Tools/rapport-load/restartbench.py --bin .build-release/release/rapport-server \
        --customers 100000 --restarts 5

`--data-dir` keeps (and, when it already holds a seeded directory, reuses) the data, so
repeated runs skip the seeding. `--max-seconds` makes the run fail when a median exceeds it.
"""
import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request


def wait_for_url(proc, err_path, timeout):
    """The server's base URL from its log line `url=http://127.0.0.1:PORT`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with open(err_path, encoding="utf-8", errors="replace") as err:
            match = re.search(r"url=(http://127\.0\.0\.1:\d+)", err.read())
        if match:
            return match.group(1)
        if proc.poll() is not None:
            sys.exit(f"restartbench: the server exited ({proc.returncode}) before listening; see {err_path}")
        time.sleep(0.002)
    sys.exit(f"restartbench: the server did not listen within {timeout} s; see {err_path}")


def wait_ready(proc, url, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/readyz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if proc.poll() is not None:
            sys.exit(f"restartbench: the server exited ({proc.returncode}) before it was ready")
        time.sleep(0.002)
    sys.exit(f"restartbench: /readyz did not answer 200 within {timeout} s")


def start(binary, data_dir, log_dir, label, extra=()):
    out_path = os.path.join(log_dir, f"{label}.out")
    err_path = os.path.join(log_dir, f"{label}.err")
    began = time.monotonic()
    with open(out_path, "w") as out, open(err_path, "w") as err:
        proc = subprocess.Popen(
            [binary, "serve", "--data-dir", data_dir, "--port", "0", *extra], stdout=out, stderr=err)
    return proc, began, err_path


def stop(proc, how):
    if how == "kill":
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        return
    proc.send_signal(signal.SIGTERM)
    try:
        code = proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        sys.exit("restartbench: the server did not stop within 60 s of SIGTERM")
    if code != 0:
        sys.exit(f"restartbench: the server exited {code} after SIGTERM")


def database_bytes(data_dir):
    total = 0
    for name in os.listdir(data_dir):
        if name.startswith("rapport.sqlite"):
            total += os.path.getsize(os.path.join(data_dir, name))
    return total


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bin", required=True, help="the rapport-server executable (a release build)")
    parser.add_argument("--customers", type=int, default=100_000, help="demo customers to seed (0-100000)")
    parser.add_argument("--restarts", type=int, default=5, help="restarts of each kind")
    parser.add_argument("--data-dir", help="keep the data here (reused when already seeded); default a temporary folder")
    parser.add_argument("--seed-timeout", type=float, default=3600, help="seconds allowed for seeding")
    parser.add_argument("--max-seconds", type=float, help="fail when a median restart exceeds this")
    args = parser.parse_args()
    if not 0 <= args.customers <= 100_000:
        sys.exit("restartbench: --customers must be 0-100000")
    if not 1 <= args.restarts <= 100:
        sys.exit("restartbench: --restarts must be 1-100")

    work = tempfile.mkdtemp(prefix="restartbench-")
    data_dir = args.data_dir or os.path.join(work, "data")
    try:
        marker = os.path.join(data_dir, f".restartbench-seeded-{args.customers}")
        if not os.path.exists(marker):
            print(f"restartbench: seeding {args.customers} demo customers into {data_dir} ...", flush=True)
            proc, began, err_path = start(
                args.bin, data_dir, work, "seed", ["--demo", "--demo-customers", str(args.customers)])
            url = wait_for_url(proc, err_path, args.seed_timeout)
            wait_ready(proc, url, args.seed_timeout)
            print(f"restartbench: seeded and ready in {time.monotonic() - began:.1f} s", flush=True)
            stop(proc, "term")
            open(marker, "w").close()
        print(f"restartbench: database {database_bytes(data_dir) / 1_048_576:.1f} MiB", flush=True)

        figures = {"graceful": [], "killed": []}
        for round_ in range(args.restarts):
            for kind in ("graceful", "killed"):
                proc, began, err_path = start(args.bin, data_dir, work, f"{kind}-{round_}")
                url = wait_for_url(proc, err_path, 120)
                wait_ready(proc, url, 120)
                elapsed = time.monotonic() - began
                figures[kind].append(elapsed)
                print(f"restartbench: {kind} restart {round_ + 1}: {elapsed:.3f} s (spawn -> /readyz 200)", flush=True)
                stop(proc, "kill" if kind == "graceful" else "term")
        # Restarts labelled `graceful` follow a SIGTERM stop (or the seeding run), those labelled
        # `killed` follow a SIGKILL of the previous, ready server.
        failed = False
        for kind, values in figures.items():
            median = statistics.median(values)
            print(f"restartbench: {kind}: median {median:.3f} s, max {max(values):.3f} s over {len(values)} restarts "
                  f"on {args.customers} demo customers")
            if args.max_seconds is not None and median > args.max_seconds:
                print(f"restartbench: {kind} median {median:.3f} s exceeds --max-seconds {args.max_seconds}")
                failed = True
        return 1 if failed else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)  # logs, and the data unless --data-dir kept it elsewhere


if __name__ == "__main__":
    sys.exit(main())
