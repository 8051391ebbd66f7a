"""A real ``reportgen live`` process on a free loopback port, and clients for it.

``with serving(log, folder, *options) as server`` starts ``python -m reportgen
live LOG --port 0``, waits (at most ``START_TIMEOUT`` seconds) for the URL it
prints, and on leaving stops it whatever happened (SIGKILL if it still runs).
Every wait in these tests is bounded; every request goes to 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

pytest.importorskip("starlette", reason="needs the live extra: pip install 'reportgen[live]'")
pytest.importorskip("httpx", reason="the live tests' HTTP client")

#: The class code of every test server.
CODE = "TEST-CODE"

#: Seconds a server may take to print its URL, and to stop after SIGTERM.
START_TIMEOUT = 30.0
STOP_TIMEOUT = 15.0


@dataclass
class LiveServer:
    """One ``reportgen live`` process and what it printed."""

    process: subprocess.Popen[bytes]
    log: Path
    out: Path
    err: Path
    url: str = ""
    stopped: bool = field(default=False)

    def stdout(self) -> str:
        return self.out.read_text(encoding="utf-8")

    def stderr(self) -> str:
        return self.err.read_text(encoding="utf-8")

    def stop(self, signum: int = signal.SIGTERM) -> int:
        """Send ``signum`` and wait for the exit status (SIGKILL if it takes too long)."""
        if self.process.poll() is None:
            self.process.send_signal(signum)
            try:
                self.process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=STOP_TIMEOUT)
                raise AssertionError(f"the server ignored signal {signum}") from None
        self.stopped = True
        return self.process.returncode


def start_server(log: Path, *options: str, folder: Path) -> LiveServer:
    """Start ``reportgen live LOG --port 0 --code CODE OPTIONS`` and wait for its URL."""
    folder.mkdir(parents=True, exist_ok=True)
    out, err = folder / "stdout.txt", folder / "stderr.txt"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "reportgen", "live", str(log), "--port", "0", "--code", CODE]
    with open(out, "wb") as stdout, open(err, "wb") as stderr:
        process = subprocess.Popen([*command, *options], stdout=stdout, stderr=stderr, env=env)
    server = LiveServer(process, log, out, err)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        found = re.search(r"(http://127\.0\.0\.1:\d+)/$", out.read_text("utf-8"), re.MULTILINE)
        if found:
            server.url = found.group(1)
            return server
        if process.poll() is not None:
            raise AssertionError(f"the server exited {process.returncode}: {err.read_text()}")
        time.sleep(0.05)
    process.kill()
    process.wait(timeout=STOP_TIMEOUT)
    raise AssertionError(f"no URL within {START_TIMEOUT} s: {err.read_text()}")


@contextlib.contextmanager
def serving(log: Path, folder: Path, *options: str) -> Iterator[LiveServer]:
    """A running server for the ``with`` block; killed on leaving if it still runs."""
    server = start_server(log, *options, folder=folder)
    try:
        yield server
    finally:
        if server.process.poll() is None:
            server.process.kill()
            server.process.wait(timeout=STOP_TIMEOUT)


def report_counts(log: Path, *options: str) -> dict:
    """``reportgen LOG -f json -o -``'s JSON: the throws the real reader finds in LOG."""
    import json

    result = run_cli(log, "-f", "json", "-o", "-", *options, timeout=120)
    assert result.returncode == 0, result.stderr.decode()
    return json.loads(result.stdout)


def throw(http, url: str, face: object, **fields: object):  # type: ignore[no-untyped-def]
    """POST one throw as JSON; the response."""
    body = {"face": face, "code": CODE, **fields}
    return http.post(url + "/api/throws", json=body, timeout=10)
