"""``reportgen live`` as a class uses it: a real server process, real clients, the real reader.

Every server listens on 127.0.0.1 on a port of its own choosing (``--port 0``);
every wait is bounded; every process is stopped by ``serving``.
"""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from conftest import ROOT, run_cli
from live_helpers import CODE, report_counts, serving, throw

#: A class: 35 phones, 30 throws each.
CLIENTS, THROWS = 35, 30

#: Seconds between one phone's throws: 9 a second, under the limit of 10.
PACE = 0.11

#: How often a phone taps again when a throw is refused as too fast (429).
RETRIES = 20


def _phone(url: str, c: int, start: threading.Barrier, stop: threading.Event) -> list[dict]:
    """One phone's throws, paced; each answer as {status, line, face, time}."""
    answers = []
    with httpx.Client(timeout=10) as client:
        start.wait(timeout=30)
        last = 0.0
        for i in range(THROWS):
            if stop.is_set():
                break
            time.sleep(max(0.0, last + PACE - time.monotonic()))  # a hand never catches up
            last = time.monotonic()
            face = str((c + i) % 6 + 1)
            try:
                for _ in range(RETRIES):  # refused as too fast (arrivals bunch up): tap again
                    answer = throw(client, url, face, client=f"phone-{c}", source="phone")
                    if answer.status_code != 429:
                        break
                    time.sleep(0.2)
            except httpx.HTTPError:  # the server is gone (killed): this throw is not acknowledged
                break
            body = answer.json()
            answers.append({"status": answer.status_code, "face": face, **body.get("throw", {})})
    return answers


def _class(url: str, stop: threading.Event | None = None) -> list[dict]:
    """35 phones throwing at once; every answer."""
    start, stop = threading.Barrier(CLIENTS), stop or threading.Event()
    with ThreadPoolExecutor(CLIENTS) as pool:
        phones = [pool.submit(_phone, url, c, start, stop) for c in range(CLIENTS)]
        return [answer for phone in phones for answer in phone.result(timeout=120)]


def _rows(log: Path) -> list[str]:
    return log.read_text(encoding="utf-8").splitlines()


def test_a_class_of_35_phones_throwing_30_times_each(tmp_path: Path):
    log = tmp_path / "class.csv"
    with serving(log, tmp_path / "server") as server:
        answers = _class(server.url)
        state = httpx.get(server.url + "/api/state", timeout=10).json()
        assert server.stop(signal.SIGTERM) == 0
    assert Counter(a["status"] for a in answers) == {201: CLIENTS * THROWS}
    assert sorted(a["line"] for a in answers) == list(range(2, CLIENTS * THROWS + 2))
    rows = _rows(log)
    assert len(rows) == 1 + 1050 and rows[0] == "face,time,source"
    expected = Counter(str((c + i) % 6 + 1) for c in range(CLIENTS) for i in range(THROWS))
    assert state["n"] == 1050 and state["counts"] == [expected[str(k)] for k in range(1, 7)]
    results = report_counts(log)  # the report reads exactly these throws
    assert results["n"] == 1050 and results["counts"] == state["counts"]
    assert results["mle"] == state["mle"]


def test_sigkill_under_load_loses_no_acknowledged_throw(tmp_path: Path):
    log, stop = tmp_path / "class.csv", threading.Event()
    with serving(log, tmp_path / "server") as server, ThreadPoolExecutor(1) as background:
        running = background.submit(_class, server.url, stop)
        deadline = time.monotonic() + 30
        while len(_rows(log)) < 300 and time.monotonic() < deadline:
            time.sleep(0.02)
        server.process.send_signal(signal.SIGKILL)
        server.process.wait(timeout=15)
        stop.set()
        answers = running.result(timeout=60)
    acknowledged = [a for a in answers if a["status"] == 201]
    assert len(acknowledged) >= 250
    rows = _rows(log)
    for a in acknowledged:  # each acknowledged throw is on its line, as answered
        assert rows[a["line"] - 1] == f"{a['face']},{a['time']},phone"
    results = report_counts(log)  # and LOG still parses
    assert results["n"] == len(rows) - 1 >= len(acknowledged)


def test_bad_input_is_answered_as_stated_and_log_is_unchanged(tmp_path: Path):
    log = tmp_path / "class.csv"
    big = json.dumps({"face": "3", "code": CODE, "pad": "x" * 1100}).encode()

    def chunked():  # no Content-Length: the bytes read must be counted
        yield b'{"face": "3", "code": "' + CODE.encode() + b'", "pad": "'
        for _ in range(20):
            yield b"x" * 100
        yield b'"}'

    as_json = {"Content-Type": "application/json"}
    cases = [
        (403, {"json": {"face": "3"}}),
        (403, {"json": {"face": "3", "code": CODE.lower()}}),
        (403, {"data": {"face": "3"}}),
        (422, {"json": {"face": "7", "code": CODE}}),
        (422, {"json": {"face": "", "code": CODE}}),
        (422, {"json": {"code": CODE}}),
        (422, {"json": {"face": True, "code": CODE}}),
        (422, {"json": {"face": "3", "code": CODE, "client": "../../etc"}}),
        (422, {"content": b"{not json", "headers": as_json}),
        (413, {"content": big, "headers": as_json}),
        (413, {"content": chunked(), "headers": as_json}),
    ]
    with serving(log, tmp_path / "server") as server, httpx.Client(timeout=10) as client:
        before = log.read_bytes()
        for status, request in cases:
            answer = client.post(server.url + "/api/throws", **request)
            assert (answer.status_code, log.read_bytes()) == (status, before), request
            assert answer.json()["error"]
        assert (
            "face of this die (1..6)"
            in client.post(server.url + "/api/throws", json={"face": "7", "code": CODE}).json()[
                "error"
            ]
        )
        # Form fields are a throw too; and more than 10 a second from one client are refused.
        assert (
            client.post(server.url + "/api/throws", data={"face": "2", "code": CODE}).status_code
            == 201
        )
        with ThreadPoolExecutor(15) as pool:
            burst = list(
                pool.map(lambda _: throw(client, server.url, 1, client="quick"), range(15))
            )
        statuses = Counter(answer.status_code for answer in burst)
        assert statuses[201] <= 10 and statuses[429] >= 5 and statuses[201] + statuses[429] == 15
        assert len(_rows(log)) == 2 + statuses[201]
        assert server.stop() == 0


def test_the_pages_need_nothing_from_outside(tmp_path: Path):
    with serving(tmp_path / "class.csv", tmp_path / "server", "--lang", "ja") as server:
        page = httpx.get(server.url + "/", timeout=30)
        phone = httpx.get(server.url + f"/throw?code={CODE}", timeout=30)
        refused = httpx.get(server.url + "/throw?code=nope", timeout=30)
        assert server.stop() == 0
    assert (page.status_code, phone.status_code, refused.status_code) == (200, 200, 403)
    for answer in (page, phone):
        policy = answer.headers["content-security-policy"]
        assert "default-src 'none'" in policy and "connect-src 'self'" in policy
        assert "@font-face" in answer.text and 'src: url("data:font/' in answer.text
        for address in re.findall(r"""(?:src|href)=["']([^"']*)""", answer.text):
            assert address.startswith(("data:", "#")), address
    assert CODE in page.text and "<svg" in page.text  # the teacher's screen: code and QR code
    assert "クラスコード" in page.text


def test_a_restart_resumes_and_a_stop_prints_the_report_commands(tmp_path: Path):
    log = tmp_path / "coin.csv"
    with serving(log, tmp_path / "first", "--faces", "H,T") as server:
        for face in "HHT":
            assert throw(httpx, server.url, face).status_code == 201
        assert server.stop(signal.SIGINT) == 0
        printed = server.stdout()
    assert f"reportgen {log} --faces H,T\n" in printed
    assert f"reportgen {log} --faces H,T --edition student\n" in printed
    with serving(log, tmp_path / "second", "--faces", "H,T") as server:
        assert httpx.get(server.url + "/api/state", timeout=10).json()["counts"] == [2, 1]
        assert throw(httpx, server.url, "T").json()["counts"] == [2, 2]
        assert server.stop(signal.SIGTERM) == 0
    assert report_counts(log, "--faces", "H,T")["counts"] == [2, 2]


def _events(url: str, into: queue.Queue) -> None:
    """Put each ``state`` event's JSON of ``/api/events`` into ``into`` until the stream ends."""
    try:
        with httpx.stream("GET", url + "/api/events", timeout=httpx.Timeout(10, read=None)) as s:
            for line in s.iter_lines():
                if line.startswith("data: "):
                    into.put((time.monotonic(), json.loads(line[6:])))
    except httpx.HTTPError:
        pass


def _next_with(events: queue.Queue, n: int, timeout: float) -> tuple[float, dict]:
    deadline = time.monotonic() + timeout
    while True:
        at, state = events.get(timeout=max(0.0, deadline - time.monotonic()))
        if state["n"] >= n:
            return at, state


def test_events_follow_posts_and_lines_other_programs_append(tmp_path: Path):
    log, events = tmp_path / "class.csv", queue.Queue()
    with serving(log, tmp_path / "server") as server:
        listener = threading.Thread(target=_events, args=(server.url, events), daemon=True)
        listener.start()
        assert _next_with(events, 0, 10)[1]["n"] == 0  # the state at connection
        sent = time.monotonic()
        assert throw(httpx, server.url, 4).status_code == 201
        at, state = _next_with(events, 1, 5)
        assert at - sent < 1.0 and state["latest"]["face"] == 4
        with open(log, "a", encoding="utf-8") as other:  # another program appends
            other.write("5,2025-05-01T09:00:00.000Z,sensor\n9,,sensor\n")
        at, state = _next_with(events, 2, 5)
        assert state["counts"] == [0, 0, 0, 1, 1, 0] and state["latest"]["source"] == "sensor"
        assert server.stop() == 0
        listener.join(timeout=10)
    assert f"reportgen: {log}:4: face '9' is not one of 1..6" in server.stderr()


def test_refusals_before_serving(tmp_path: Path):
    assert run_cli("live", "--help").returncode == 0
    not_live = tmp_path / "rolls.csv"
    not_live.write_text("face\n3\n")
    result = run_cli("live", not_live, "--port", "0")
    assert result.returncode == 65 and b"not a live log" in result.stderr
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        result = run_cli("live", tmp_path / "class.csv", "--port", port)
    assert result.returncode == 2 and b"cannot listen" in result.stderr
    assert run_cli("live", tmp_path / "class.csv", "--faces", "1").returncode == 2
    # Without the extra: one line naming the install command, and exit 2.
    blocked = "import sys; sys.modules['starlette'] = None; from reportgen.cli import main; "
    result = subprocess.run(
        [sys.executable, "-c", blocked + "raise SystemExit(main(['live', 'x.csv']))"],
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.decode().splitlines() == [
        "reportgen: error: reportgen live needs starlette: pip install 'reportgen[live]'"
    ]
    assert not (tmp_path / "x.csv").exists()
