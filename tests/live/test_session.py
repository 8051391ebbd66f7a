"""The live lesson without a server: ``Session``, ``LogFile`` and the request limits.

The state's figures are checked against the report's own (``reportgen.analyse``
of the same throws), which the rest of the suite pins to independent tools.
"""

from __future__ import annotations

import asyncio
import json
import math
from pathlib import Path

import pytest
from conftest import DATA

from reportgen import analyse
from reportgen.analysis.entropy import running_entropy
from reportgen.errors import DataError
from reportgen.faces import parse_faces
from reportgen.live import Session
from reportgen.live.limits import BadBody, RateLimit, TooLarge, fields, read_body
from reportgen.live.logfile import LogFile

SAMPLE = [line.strip() for line in (DATA / "rolls.csv").read_text().splitlines()[1:]]


def test_the_state_is_the_reports_figures_for_the_same_throws():
    session = Session(6)
    for face in SAMPLE:
        session.add(face, "key")
    state, report = session.state(), analyse(DATA / "rolls.csv")
    assert state.n == report.n == 20
    assert state.counts == tuple(report.counts)
    assert state.mle == pytest.approx(report.mle, abs=0)
    means, results = state.cross_entropy_mean, report.to_dict()  # the -f json results
    assert means["mle"] == pytest.approx(results["cross_entropy"]["mean"], rel=1e-15)
    assert means["model"] == pytest.approx(results["reference"]["cross_entropy_mean"], rel=1e-15)
    assert state.kl_divergence == pytest.approx(results["reference"]["kl_divergence"], rel=1e-12)
    # The running means are the report's figure's points: (m, H(p̂_m), model's mean).
    model = report.running_mean(report.reference.y)
    entropies = running_entropy(report.log.checkpoints)
    assert [p[0] for p in state.running] == [m for m, _ in model]
    assert [p[2] for p in state.running] == pytest.approx([v for _, v in model], rel=1e-15)
    assert [p[1] for p in state.running] == pytest.approx([h for _, h in entropies], abs=1e-15)


def test_the_latest_throw_is_worked_through_43():
    session = Session(6)
    for face in "3 5 3 6 3".split():
        session.add(face)
    latest = session.state().latest
    assert latest is not None and latest.index == 2
    assert latest.model == pytest.approx(math.log(6))  # E = −log y_3 = −log 1/6
    assert latest.mle == pytest.approx(-math.log(3 / 5))  # E = −log ŷ_3 = −log 3/5


def test_faces_are_read_as_the_report_reads_them():
    session = Session("H,T")
    session.add("H")
    session.add(" T ")
    with pytest.raises(DataError, match="not one of H, T"):
        session.add("X")
    die = Session(6)
    die.add("３")  # a full-width digit is face 3
    with pytest.raises(DataError, match="d8"):
        die.add(7)
    assert die.state().counts == (0, 0, 1, 0, 0, 0)


def test_the_json_has_no_infinity_and_nothing_before_the_first_throw():
    empty = Session(6).state().to_dict()
    assert empty["n"] == 0 and empty["mle"] is None and empty["latest"] is None
    assert empty["cross_entropy_mean"] == {"mle": None, "model": None}
    loaded = Session(6, model="0,0.2,0.2,0.2,0.2,0.2")
    loaded.add(1)  # the model gives face 1 probability 0: its cross-entropy is ∞
    state = loaded.state().to_dict()
    assert state["cross_entropy_mean"]["model"] is None
    assert state["latest"]["cross_entropy"] == {"model": None, "mle": 0.0}
    json.dumps(state, allow_nan=False)


# --- LOG ----------------------------------------------------------------------------------


def test_a_new_log_gets_its_header_and_each_throw_its_line(tmp_path: Path):
    path, warnings = tmp_path / "class.csv", []
    log = LogFile(path, parse_faces(6), warnings.append)
    assert log.open() == []
    lines, numbers = log.append([(3, "key"), (0, "phone")])
    assert numbers == [2, 3] and [(line.index, line.source) for line in lines] == [
        (3, "key"),
        (0, "phone"),
    ]
    rows = path.read_text().splitlines()
    assert rows[0] == "face,time,source" and rows[1].startswith("4,") and rows[1].endswith(",key")
    assert rows[1].split(",")[1].endswith("Z") and not warnings


def test_lines_other_programs_append_are_followed_and_bad_ones_named(tmp_path: Path):
    path, warnings = tmp_path / "class.csv", []
    log = LogFile(path, parse_faces(6), warnings.append, name="class.csv")
    log.open()
    with open(path, "a") as other:
        other.write("5,2025-05-01T09:00:00Z,sensor\n9,,sensor\nsix\n\n2,,sensor\n4,,sen")
    lines = log.follow()
    assert [line.number for line in lines] == [2, 6]  # line 7 is still being written
    assert warnings[0].startswith("class.csv:3: face '9' is not one of 1..6 (a d10? use --faces 10")
    assert warnings[1].startswith("class.csv:4: row has 1 field where the header has 3")
    assert "remove or fix the line" in warnings[1]
    # A throw appended now starts a line of its own: the unfinished one is ended first.
    lines, numbers = log.append([(0, "key")])
    assert numbers == [8] and [line.number for line in lines] == [7, 8]
    assert path.read_text().splitlines()[-2:] == ["4,,sen", lines[-1].time.join(["1,", ",key"])]


def test_a_log_that_is_not_a_live_log_is_refused_and_left_alone(tmp_path: Path):
    path = tmp_path / "rolls.csv"
    path.write_text("face\n3\n")
    with pytest.raises(DataError, match="not a live log"):
        LogFile(path, parse_faces(6), print).open()
    assert path.read_text() == "face\n3\n"


def test_a_notebook_reads_a_log_as_it_stands(tmp_path: Path):
    path = tmp_path / "class.csv"
    path.write_text("face,time,source\n3,,key\n7,,key\n3,,phone")  # no final line feed
    with pytest.warns(UserWarning, match="class.csv:3: face '7'"):
        session = Session.from_log(path)
    assert session.state().counts == (0, 0, 2, 0, 0, 0)
    assert path.read_text().endswith("3,,phone")  # not written to


# --- limits -------------------------------------------------------------------------------


def test_ten_throws_a_second_and_no_more():
    now = [0.0]
    limit = RateLimit(10, clock=lambda: now[0])
    assert all(limit.allow("a") for _ in range(10))
    assert not limit.allow("a") and limit.allow("b")
    now[0] = 1.0  # a second after the first ten
    assert limit.allow("a")


def _chunks(*parts: bytes):  # type: ignore[no-untyped-def]
    async def gen():  # type: ignore[no-untyped-def]
        for part in parts:
            yield part

    return gen()


def test_bodies_over_1_kib_are_refused_by_length_and_by_bytes():
    with pytest.raises(TooLarge):
        asyncio.run(read_body("1025", _chunks(b"{}")))
    with pytest.raises(TooLarge):  # no length given (chunked), or one that lies
        asyncio.run(read_body(None, _chunks(b"x" * 600, b"x" * 600)))
    assert asyncio.run(read_body("2", _chunks(b"{}"))) == b"{}"


def test_fields_come_from_json_or_a_form():
    assert fields("application/json", b'{"face": 4}') == {"face": 4}
    assert fields("application/x-www-form-urlencoded", b"face=4&code=A&face=5") == {
        "face": "4",
        "code": "A",
    }
    for kind, body in (("application/json", b"[4]"), ("text/plain", b"4"), ("", b"\xff")):
        with pytest.raises(BadBody):
            fields(kind, body)
