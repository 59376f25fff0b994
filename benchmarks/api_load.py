"""A bounded local load test of the HTTP API: loopback only, stops by itself.

Builds a sample database, starts ``polybius serve --read-only`` on 127.0.0.1 (a free port) in a
child process, then runs concurrent GET requests from ``--threads`` threads for ``--seconds``
seconds over a mix of read routes (events pages, relations, top, timeline, places), and prints
throughput, p50/p99 latency and the error count. The server is stopped at the end.

    .venv/bin/python benchmarks/api_load.py [--seconds 30] [--threads 4] [--articles 2000]
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from polybius.api.sample import sample_articles
from polybius.store import Store

ROUTES = [
    "/api/v1/events?limit=50",
    "/api/v1/events?limit=50&dyad=AZE-IRN",
    "/api/v1/events?limit=20&type=ASSAULT&from=2018-06-01",
    "/api/v1/relations?a=AZE&b=IRN&by=month",
    "/api/v1/relations?a=RUS&b=UKR&by=week",
    "/api/v1/top?by=dyad",
    "/api/v1/top?by=country",
    "/api/v1/timeline?by=month",
    "/api/v1/places",
    "/api/v1/health",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--articles", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "load.duckdb"
        with Store(db) as store:
            store.add_batch(sample_articles(args.articles))
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        cli = [sys.executable, "-c", "from polybius.cli import main; main()"]
        server = subprocess.Popen([*cli, "serve", "--db", str(db), "--host", "127.0.0.1", "--port", str(port), "--read-only"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            for _ in range(200):
                try:
                    if httpx.get(base + "/api/v1/health", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.1)
            else:
                raise SystemExit("server did not start")
            latencies: list[float] = []
            errors = [0]
            lock = threading.Lock()
            stop_at = time.perf_counter() + args.seconds

            def worker(offset: int) -> None:
                mine, bad, i = [], 0, offset
                with httpx.Client(base_url=base, timeout=10) as client:
                    while time.perf_counter() < stop_at:
                        route = ROUTES[i % len(ROUTES)]
                        i += 1
                        t0 = time.perf_counter()
                        try:
                            ok = client.get(route).status_code == 200
                        except httpx.HTTPError:
                            ok = False
                        mine.append(time.perf_counter() - t0)
                        bad += not ok
                with lock:
                    latencies.extend(mine)
                    errors[0] += bad

            threads = [threading.Thread(target=worker, args=(k,)) for k in range(args.threads)]
            t0 = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            wall = time.perf_counter() - t0
        finally:
            server.terminate()
            server.wait(timeout=10)
        events = args.articles
        lat = sorted(latencies)
        p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] * 1000  # noqa: E731
        print(f"{len(lat):,} requests in {wall:.1f} s from {args.threads} threads over {len(ROUTES)} routes "
              f"({events:,} sample articles)")
        print(f"throughput {len(lat) / wall:,.0f} req/s; latency p50 {p(0.50):.1f} ms, p99 {p(0.99):.1f} ms, "
              f"mean {statistics.mean(lat) * 1000:.1f} ms; errors {errors[0]}")


if __name__ == "__main__":
    main()
