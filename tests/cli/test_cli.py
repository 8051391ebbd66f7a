"""The command line as a user runs it: outputs, stdout listing, exit statuses, error lines."""

from __future__ import annotations

import json

from tests.conftest import DATA, listing, run_cli


def test_json_to_default_directory_lists_the_written_path(tmp_path):
    proc = run_cli(DATA / "rolls.csv", "-f", "json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout.decode().splitlines() == [str(tmp_path / "rolls.json")]
    assert json.loads((tmp_path / "rolls.json").read_text())["n"] == 20


def test_output_file_directory_and_stdout(tmp_path):
    out = tmp_path / "x.json"
    assert run_cli(DATA / "rolls.csv", "-f", "json", "-o", out).returncode == 0
    assert out.is_file()
    outdir = tmp_path / "reports/"
    proc = run_cli(DATA / "rolls.csv", DATA / "loaded.csv", "-f", "json", "-o", f"{outdir}/")
    assert proc.returncode == 0
    assert listing(outdir) == ["loaded.json", "rolls.json"]
    proc = run_cli(DATA / "rolls.csv", "-f", "json", "-o", "-")
    assert json.loads(proc.stdout)["counts"] == json.loads(out.read_text())["counts"]


def test_a_face_outside_the_die_names_file_line_value_and_hint(tmp_path):
    log = tmp_path / "bad.csv"
    log.write_text("face\n1\n2\n7\n")
    proc = run_cli(log, "-f", "json", cwd=tmp_path)
    assert proc.returncode == 65
    err = proc.stderr.decode()
    message = "face '7' is not one of 1..6 (a typo? 2 other throws are 1..6)"
    assert err == f"reportgen: error: {log}:4: {message}\n"
    assert listing(tmp_path) == [log.name]  # nothing written


def test_missing_input_is_66_and_usage_errors_are_2(tmp_path):
    proc = run_cli(tmp_path / "nope.csv", "-f", "json")
    assert proc.returncode == 66
    assert b"nope.csv: no such file" in proc.stderr
    for args in (["--faces", "1"], ["--confidence", "1.5"], ["-f", "docx"], ["--unit", "dB"]):
        proc = run_cli(DATA / "rolls.csv", *args)
        assert proc.returncode == 2, args
        assert proc.stderr.decode().startswith("reportgen: error: "), args
        assert b"Traceback" not in proc.stderr


def test_an_input_is_never_overwritten(tmp_path):
    log = tmp_path / "rolls.json"
    log.write_bytes((DATA / "rolls.csv").read_bytes())
    proc = run_cli(log, "-f", "json", "-o", log)
    assert proc.returncode == 73
    assert log.read_bytes() == (DATA / "rolls.csv").read_bytes()


def test_several_inputs_with_one_failure_exit_1_and_write_the_rest(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("face\nseven\n")
    proc = run_cli(DATA / "rolls.csv", bad, "-f", "json", "-o", tmp_path / "out")
    assert proc.returncode == 1
    assert (tmp_path / "out" / "rolls.json").is_file()
    assert not (tmp_path / "out" / "bad.json").exists()
    assert b"bad.csv:2: face 'seven' is not a whole number" in proc.stderr


def test_version_and_module_entry_point():
    proc = run_cli("--version")
    assert proc.returncode == 0
    assert proc.stdout.decode().startswith("reportgen ")


def test_a_fifo_or_device_output_is_written_in_place_not_replaced(tmp_path):
    """Renaming a temporary over /dev/null would replace the device; a FIFO stands in for it."""
    import os
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    proc = run_cli(DATA / "rolls.csv", "-f", "json", "-o", fifo)
    reader.join(timeout=60)
    assert proc.returncode == 0, proc.stderr.decode()
    assert json.loads(received[0])["n"] == 20
    assert fifo.is_fifo()
    assert listing(tmp_path) == [fifo.name]  # no temporary left beside it
