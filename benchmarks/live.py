"""Benchmark ``reportgen live``: acknowledged throws a second, and POST → page update latency.

    .venv/bin/python benchmarks/live.py [--clients 35] [--throws 30] [--burst 100]

Starts ``reportgen live`` on a free loopback port with a new LOG, listens to
``/api/events`` as the projector page does, and runs two loads from
``--clients`` concurrent clients (threads, one HTTP connection each):

- **class**: each client throws ``--throws`` times at 9.5 a second, just under
  the limit of 10 a second that a phone may send: a class at full speed;
- **burst**: each client sends ``--burst`` throws back to back, each under a
  new client id so none is refused: what the server can acknowledge.

For every throw it records the time of the POST, of its 201 (the throw is in
LOG, fsync'ed) and of the first ``state`` event whose N includes it (the
throw's line in LOG, less the header). Printed: acknowledged throws a second,
and the median and 99th percentile of POST → 201 and POST → event. Then it
checks that LOG holds exactly the acknowledged throws. Everything runs on
127.0.0.1; the client shares the machine's cores with the server.
"""

from __future__ import annotations

import argparse
import bisect
import json
import os
import platform
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

CODE = "BENCH"


def start(log: Path) -> tuple[subprocess.Popen[str], str]:
    command = [sys.executable, "-m", "reportgen", "live", str(log), "--port", "0", "--code", CODE]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert server.stdout is not None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        found = re.search(r"(http://127\.0\.0\.1:\d+)/\s*$", server.stdout.readline())
        if found:
            return server, found.group(1)
    server.kill()
    raise SystemExit("the server did not start")


class Events:
    """The (time, N) of every ``state`` event, from a listener thread."""

    def __init__(self, url: str) -> None:
        self.times: list[float] = []
        self.ns: list[int] = []
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._listen, args=(url,), daemon=True)
        self.thread.start()

    def _listen(self, url: str) -> None:
        try:
            with httpx.stream(
                "GET", url + "/api/events", timeout=httpx.Timeout(10, read=None)
            ) as s:
                for line in s.iter_lines():
                    if line.startswith("data: "):
                        n = json.loads(line[6:])["n"]
                        with self.lock:
                            self.times.append(time.monotonic())
                            self.ns.append(n)
        except httpx.HTTPError:
            pass

    def first_with(self, n: int) -> float | None:
        """When the first event whose N is at least ``n`` arrived."""
        with self.lock:
            at = bisect.bisect_left(self.ns, n)  # N only grows, event after event
            return self.times[at] if at < len(self.times) else None


def client(url: str, c: int, throws: int, pace: float, fresh_ids: bool) -> list[tuple]:
    """One client's throws: (sent, acknowledged, line) for each 201."""
    out = []
    with httpx.Client(timeout=30) as http:
        last = 0.0
        for i in range(throws):
            time.sleep(max(0.0, last + pace - time.monotonic()))  # a hand never catches up
            last = time.monotonic()
            who = f"c{c}-{i}" if fresh_ids else f"c{c}"
            body = {"face": str(i % 6 + 1), "code": CODE, "client": who, "source": "bench"}
            sent = time.monotonic()
            answer = http.post(url + "/api/throws", json=body)
            if answer.status_code == 201:
                out.append((sent, time.monotonic(), answer.json()["throw"]["line"]))
            else:
                out.append((sent, None, answer.status_code))
    return out


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")


def run(url: str, events: Events, clients: int, throws: int, pace: float, fresh: bool) -> dict:
    with ThreadPoolExecutor(clients) as pool:
        work = [pool.submit(client, url, c, throws, pace, fresh) for c in range(clients)]
        answers = [answer for job in work for answer in job.result()]
    acks = [answer for answer in answers if answer[1] is not None]
    time.sleep(1.0)  # the last events
    first, last = min(a[0] for a in acks), max(a[1] for a in acks)
    to_ack = [a[1] - a[0] for a in acks]
    to_event = []
    for sent, _, line in acks:
        seen = events.first_with(line - 1)  # throws before it and itself: line less the header
        if seen is not None:
            to_event.append(max(0.0, seen - sent))
    return {
        "sent": clients * throws,
        "acknowledged": len(acks),
        "refused": len(answers) - len(acks),
        "per_second": len(acks) / (last - first),
        "ack_p50": percentile(to_ack, 0.5),
        "ack_p99": percentile(to_ack, 0.99),
        "event_p50": percentile(to_event, 0.5),
        "event_p99": percentile(to_event, 0.99),
        "events_missing": len(acks) - len(to_event),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=35)
    parser.add_argument("--throws", type=int, default=30)
    parser.add_argument("--burst", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "class.csv"
        server, url = start(log)
        try:
            httpx.get(url + "/", timeout=60)  # the projector page is open (its fonts are made)
            events = Events(url)
            time.sleep(0.5)
            rows = [
                ("class", run(url, events, args.clients, args.throws, 1 / 9.5, False)),
                ("burst", run(url, events, args.clients, args.burst, 0.0, True)),
            ]
            state = httpx.get(url + "/api/state", timeout=10).json()
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        in_log = len(log.read_text().splitlines()) - 1
    acknowledged = sum(row["acknowledged"] for _, row in rows)
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f}; Python {platform.python_version()}")  # fmt: skip
    print(f"LOG holds {in_log} throws, /api/state N = {state['n']}, acknowledged {acknowledged}")
    print("| load | clients | throws sent | acknowledged | refused | throws/s "
          "| POST→201 p50 / p99 (ms) | POST→event p50 / p99 (ms) |")  # fmt: skip
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, row in rows:
        print(
            f"| {name} | {args.clients} | {row['sent']} | {row['acknowledged']} | "
            f"{row['refused']} | "
            f"{row['per_second']:.0f} | {row['ack_p50'] * 1e3:.0f} / {row['ack_p99'] * 1e3:.0f} | "
            f"{row['event_p50'] * 1e3:.0f} / {row['event_p99'] * 1e3:.0f} |"
        )
    if in_log != acknowledged or state["n"] != acknowledged:
        raise SystemExit("LOG and the state do not hold exactly the acknowledged throws")


if __name__ == "__main__":
    main()
