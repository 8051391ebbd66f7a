"""The JSON contract as a JSON Schema: every documented mode's results conform to it.

``reportgen/results.schema.json`` (draft 2020-12) is what scheduled jobs may
validate ``-f json`` against. Here each mode of SPEC.md and the README is run
as a user runs it (``run_cli``) and validated with ``jsonschema``; what a
schema cannot say (lists as long as ``faces``, nulls exactly at the infinite
figures, …) is checked by ``assert_consistent``; every field a result carries
must be described in the schema; and the schema must reject the breaks the
contract forbids (a renamed or missing field, a wrong type, a stray null).
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

import reportgen
from reportgen.schema import SCHEMA_VERSION
from tests.conftest import DATA, ROOT, run_cli

SCHEMA = reportgen.results_schema()
VALIDATOR = Draft202012Validator(SCHEMA)

LOADED_MODEL = "0.14,0.16,0.16,0.16,0.16,0.22"  # the y data/loaded.csv was drawn from
IMPOSSIBLE_MODEL = "0,0.2,0.2,0.2,0.2,0.2"  # face 1 shows 3 times in data/rolls.csv


def errors(result: Any) -> list[str]:
    """Every schema violation, one readable line each (empty when the result conforms)."""
    return [
        f"{'/'.join(map(str, e.absolute_path)) or '<top>'}: {e.message}"
        for e in VALIDATOR.iter_errors(result)
    ]


# --- what the schema cannot say ---------------------------------------------------------


def per_face_lists(result: dict[str, Any]) -> Iterator[tuple[str, list[Any]]]:
    """Every list indexed by face, with a name for the message."""
    yield "counts", result["counts"]
    yield "mle", result["mle"]
    for name, interval in result["intervals"].items():
        yield f"intervals.{name}.low", interval["low"]
        yield f"intervals.{name}.high", interval["high"]
    yield "cross_entropy.per_face", result["cross_entropy"]["per_face"]
    yield "reference.y", result["reference"]["y"]
    for i, throw in enumerate(result["cross_entropy"]["first"]):
        yield f"cross_entropy.first[{i}].t", throw["t"]


def assert_consistent(result: dict[str, Any]) -> None:
    """The cross-field rules the schema's ``$comment`` lists."""
    faces = result["faces"]
    k = len(faces)
    for name, values in per_face_lists(result):
        assert len(values) == k, f"{name} has {len(values)} items, faces has {k}"
    counts, y = result["counts"], result["reference"]["y"]
    assert sum(counts) == result["n"]
    assert result["interval"] in result["intervals"]
    for i, throw in enumerate(result["cross_entropy"]["first"]):
        assert throw["throw"] == i + 1
        assert throw["t"][faces.index(throw["face"])] == 1
    # Nulls stand exactly for the infinite figures.
    impossible = [f for f, n_k, y_k in zip(faces, counts, y, strict=True) if n_k and y_k == 0]
    assert result["reference"]["infinite_faces"] == impossible
    for n_k, e_k in zip(counts, result["cross_entropy"]["per_face"], strict=True):
        assert (e_k is None) == (n_k == 0)  # -log of the MLE, infinite for a face never seen
    reference = result["reference"]
    for figure in ("cross_entropy_total", "cross_entropy_mean", "kl_divergence"):
        assert (reference[figure] is None) == bool(impossible), figure
    for name in ("pearson_chi2", "g_test"):
        assert (result["tests"][name]["statistic"] is None) == bool(impossible), name
    if "holdout" in result:  # absent for n < 10 and for a frequency table
        holdout = result["holdout"]
        assert holdout["train"] + holdout["test"] == result["n"]
        assert result["n"] >= 10 and result["input"]["format"] == "log"
    else:
        assert result["n"] < 10 or result["input"]["format"] == "counts"
    if "groups" in result:
        sums = [0] * k
        for group in result["groups"].values():
            assert "reportgen" not in group and "schema_version" not in group
            assert group["faces"] == faces
            assert_consistent(group)
            sums = [a + b for a, b in zip(sums, group["counts"], strict=True)]
        assert sums == counts


def _resolve(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """A schema node and the nodes its ``$ref`` chain points to (``#/$defs/...`` only)."""
    while True:
        yield node
        ref = node.get("$ref")
        if ref is None:
            return
        node = SCHEMA
        for part in ref.removeprefix("#/").split("/"):
            node = node[part]


def assert_documented(instance: Any, node: dict[str, Any], where: str = "") -> None:
    """Every field the result carries is named and described by the schema.

    The schema is open (fields may be added), so validation alone would let an
    undocumented field through; this keeps code and schema describing one thing.
    """
    chain = list(_resolve(node))
    if isinstance(instance, dict):
        properties: dict[str, Any] = {}
        for part in reversed(chain):
            properties.update(part.get("properties", {}))
        extra = next((p["additionalProperties"] for p in chain if "additionalProperties" in p), 0)
        for key, value in instance.items():
            sub = properties.get(key, extra if isinstance(extra, dict) else None)
            assert sub is not None, f"{where}/{key} is not in the schema"
            if key in properties:
                assert any("description" in p for p in _resolve(sub)), (
                    f"{where}/{key}: no description"
                )
            assert_documented(value, sub, f"{where}/{key}")
    elif isinstance(instance, list):
        items = next((p["items"] for p in chain if "items" in p), None)
        for i, value in enumerate(instance):
            if items is not None:
                assert_documented(value, items, f"{where}/{i}")


def assert_conforms(result: dict[str, Any]) -> None:
    assert errors(result) == []
    assert list(result)[:2] == ["reportgen", "schema_version"]
    assert result["schema_version"] == SCHEMA_VERSION
    assert_consistent(result)
    assert_documented(result, SCHEMA)


# --- every documented mode, run as a user runs it ----------------------------------------


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> dict[str, Path]:
    """Small logs for the modes data/ has no sample of."""
    here = tmp_path_factory.mktemp("inputs")
    rows = (DATA / "rolls.csv").read_text().splitlines()[1:]
    files = {
        "part1": "face\n" + "\n".join(rows[:12]) + "\n",
        "part2": "face\n" + "\n".join(rows[12:]) + "\n",
        # a frequency table under a count column name only --counts recognises; face 2 unseen
        "table": "face,tally\n1,3\n2,0\n3,2\n4,5\n5,3\n6,4\n",
        "coin": "outcome\n" + "H\nT\nT\nH\nH\nH\nT\nH\n",
        "d20": "roll\n" + "".join(f"{(7 * i) % 20 + 1}\n" for i in range(97)),
    }
    paths = {}
    for name, text in files.items():
        paths[name] = here / f"{name}.csv"
        paths[name].write_text(text)
    return paths


#: name -> (arguments, ``{name}`` standing for a file of ``inputs``; stdin; objects written).
MODES: dict[str, tuple[list[str], bytes | None, int]] = {
    "a plain log": ([str(DATA / "rolls.csv")], None, 1),
    "headerless standard input": (["-", "--interval", "exact"], b"4\n2\n6\n1\n4\n3\n", 1),
    "JSON Lines of several inputs": (
        ["{part1}", "{part2}", str(DATA / "rolls.csv"), "-q"],
        None,
        3,
    ),
    "a frequency table (--counts)": (["{table}", "--counts"], None, 1),
    "--by die": ([str(DATA / "two_dice.csv"), "--by", "die"], None, 1),
    "--combine of two parts": (["{part1}", "{part2}", "--combine", "-q"], None, 1),
    "--model with K probabilities": ([str(DATA / "loaded.csv"), "--model", LOADED_MODEL], None, 1),
    "--unit bit": ([str(DATA / "rolls.csv"), "--unit", "bit"], None, 1),
    "a coin (--faces H,T)": (
        ["{coin}", "--faces", "H,T", "--interval", "sison-glaz", "--confidence", "90%"],
        None,
        1,
    ),
    "K = 20 (--faces 20)": (["{d20}", "--faces", "20"], None, 1),
    # 97 throws of a d20 under an unequal model: beyond the exact test's budget (MAX_STATES)
    "a Monte Carlo exact test (K = 20 and a model)": (
        ["{d20}", "--faces", "20", "--model", ",".join(["0.04"] * 10 + ["0.06"] * 10)],
        None,
        1,
    ),
    "a model that rules out a face that occurred": (
        [str(DATA / "rolls.csv"), "--model", IMPOSSIBLE_MODEL],
        None,
        1,
    ),
}


@pytest.fixture(scope="module")
def run_json(inputs) -> Callable[[str], list[dict[str, Any]]]:
    """Run a mode with ``-f json -o -`` (once per module): the objects it wrote, strictly parsed."""
    done_before: dict[str, list[dict[str, Any]]] = {}

    def strict(token: str) -> None:
        raise AssertionError(f"non-strict JSON token {token}")

    def run(name: str) -> list[dict[str, Any]]:
        if name not in done_before:
            args, stdin, objects = MODES[name]
            argv = [arg.format(**inputs) for arg in args]
            done = run_cli(*argv, "-f", "json", "-o", "-", stdin=stdin)
            assert done.returncode == 0, done.stderr.decode()
            if objects == 1:
                results = [json.loads(done.stdout, parse_constant=strict)]
            else:  # JSON Lines: one object per input
                lines = done.stdout.decode().splitlines()
                results = [json.loads(line, parse_constant=strict) for line in lines]
            assert len(results) == objects
            done_before[name] = results
        return done_before[name]

    return run


@pytest.mark.parametrize("name", MODES)
def test_every_mode_conforms_to_the_schema(name, run_json):
    for result in run_json(name):
        assert_conforms(result)


def test_each_mode_shows_what_it_is_about(run_json, inputs):
    """The modes above really exercise the schema's optional and nullable parts."""
    (grouped,) = run_json("--by die")
    assert grouped["by"] == "die" and list(grouped["groups"]) == ["white", "red"]
    assert set(grouped["homogeneity"]) >= {"statistic", "df", "pvalue", "g_statistic"}
    (combined,) = run_json("--combine of two parts")
    parts = os.pathsep.join(str(inputs[part]) for part in ("part1", "part2"))
    assert combined["input"]["path"] == parts
    assert combined["n"] == 20 and "groups" not in combined
    (table,) = run_json("a frequency table (--counts)")
    assert table["input"]["format"] == "counts" and table["cross_entropy"]["first"] == []
    assert table["cross_entropy"]["per_face"][1] is None  # face 2 never seen: -log 0
    (stdin,) = run_json("headerless standard input")
    assert stdin["input"]["path"] == "-" and stdin["input"]["column"] is None
    (coin,) = run_json("a coin (--faces H,T)")
    assert coin["faces"] == ["H", "T"] and coin["interval"] == "sison_glaz"
    (d20,) = run_json("K = 20 (--faces 20)")
    assert len(d20["faces"]) == 20
    assert d20["tests"]["exact_multinomial"]["method"] == "enumeration"
    (drawn,) = run_json("a Monte Carlo exact test (K = 20 and a model)")
    exact = drawn["tests"]["exact_multinomial"]
    assert exact["method"] == "monte-carlo" and exact["seed"] == 20260127  # DEFAULT_SEED
    (bits,) = run_json("--unit bit")
    assert bits["unit"] == "bit"
    (impossible,) = run_json("a model that rules out a face that occurred")
    assert impossible["reference"]["infinite_faces"] == [1]
    assert impossible["reference"]["kl_divergence"] is None
    assert impossible["tests"]["g_test"]["statistic"] is None


@pytest.fixture(scope="module")
def from_python() -> dict[str, dict[str, Any]]:
    """``reportgen.analyse(...).to_dict()`` for the sources a notebook passes."""
    return {
        "a path": reportgen.analyse(DATA / "rolls.csv").to_dict(),
        "a list of throws": reportgen.analyse([4, 2, 6, 1, 4, 3, 5, 2, 4, 6]).to_dict(),
        "a mapping face -> count": reportgen.analyse({"H": 7, "T": 3}, faces="H,T").to_dict(),
        "a path, by die": reportgen.analyse(DATA / "two_dice.csv", by="die").to_dict(),
    }


def test_analyse_to_dict_conforms_to_the_schema(from_python):
    for name, result in from_python.items():
        assert errors(result) == [], name
        assert_conforms(result)


# --- the schema rejects what the contract forbids -------------------------------------


def _rename(obj: dict[str, Any], old: str, new: str) -> None:
    obj[new] = obj.pop(old)


BREAKS: dict[str, Callable[[dict[str, Any]], object]] = {
    "a renamed required field": lambda r: _rename(r, "counts", "count"),
    "a renamed nested field": lambda r: _rename(r["cross_entropy"], "total", "sum"),
    "a renamed interval method": lambda r: _rename(r["intervals"], "sison_glaz", "sison-glaz"),
    "a missing schema_version": lambda r: r.pop("schema_version"),
    "a missing exact test": lambda r: r["tests"].pop("exact_multinomial"),
    "a missing input digest": lambda r: r["input"].pop("sha256"),
    "a count as a string": lambda r: r.update(n=str(r["n"])),
    "a count that is not whole": lambda r: r["counts"].__setitem__(0, 2.5),
    "schema_version as a number": lambda r: r.update(schema_version=1),
    "faces as one string": lambda r: r.update(faces="1,2,3,4,5,6"),
    "an unknown unit": lambda r: r.update(unit="dit"),
    "a null entropy": lambda r: r.update(entropy=None),
    "a null in the mle": lambda r: r["mle"].__setitem__(0, None),
    "a null p-value": lambda r: r["tests"]["pearson_chi2"].update(pvalue=None),
    "a null fitted total": lambda r: r["cross_entropy"].update(total=None),
    "a null interval bound": lambda r: r["intervals"]["wilson"]["low"].__setitem__(0, None),
    "a probability above 1": lambda r: r["mle"].__setitem__(0, 1.5),
    "a one-hot vector without its 1": lambda r: r["cross_entropy"]["first"][0].update(t=[0] * 6),
    "a one-hot vector with two 1s": lambda r: r["cross_entropy"]["first"][0].update(
        t=[1, 1, 0, 0, 0, 0]
    ),
    "by without groups": lambda r: r.update(by="die"),
}


@pytest.mark.parametrize("name", BREAKS)
def test_the_schema_rejects(name, from_python):
    result = copy.deepcopy(from_python["a path"])
    BREAKS[name](result)
    assert errors(result), f"the schema accepted {name}"


def test_the_schema_rejects_a_group_missing_a_field(from_python):
    result = copy.deepcopy(from_python["a path, by die"])
    del result["groups"]["red"]["mle"]
    assert any("groups/red" in e for e in errors(result))
    result = copy.deepcopy(from_python["a path, by die"])
    del result["homogeneity"]
    assert errors(result)


def test_the_schema_accepts_added_fields(from_python):
    """New fields may be added (SPEC.md): every object is open."""
    result = copy.deepcopy(from_python["a path, by die"])
    result["a_new_field"] = [1, 2]
    result["input"]["size"] = 123
    result["tests"]["kolmogorov"] = {"pvalue": 0.5}
    result["groups"]["red"]["another"] = None
    assert errors(result) == []


# --- the schema itself, and how it is shipped ------------------------------------------


def test_the_schema_is_a_valid_draft_2020_12_schema():
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(SCHEMA)


def test_the_schema_names_the_version_the_code_writes(from_python):
    assert SCHEMA["properties"]["schema_version"]["const"] == SCHEMA_VERSION == "1"
    assert from_python["a path"]["schema_version"] == SCHEMA_VERSION


def test_results_schema_is_the_shipped_file_and_a_fresh_copy():
    shipped = resources.files("reportgen").joinpath("results.schema.json").read_text("utf-8")
    assert reportgen.results_schema() == json.loads(shipped)
    assert reportgen.results_schema() is not reportgen.results_schema()
    assert "results_schema" in reportgen.__all__


def test_reportgen_schema_prints_exactly_the_schema():
    done = run_cli("--schema")
    assert done.returncode == 0, done.stderr.decode()
    assert done.stderr == b""
    assert json.loads(done.stdout) == reportgen.results_schema()
    assert done.stdout.decode() == resources.files("reportgen").joinpath(
        "results.schema.json"
    ).read_text("utf-8")


def test_reportgen_schema_needs_neither_numpy_nor_scipy(tmp_path):
    """Printing a file costs no scientific stack: the schema lives apart from the results."""
    probe = (
        "import contextlib, io, sys\n"
        "from reportgen.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    main(['--schema'])\n"
        "print(sorted(m for m in ('numpy', 'scipy') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_without_inputs_and_without_schema_it_is_still_a_usage_error():
    done = run_cli("-f", "json")
    assert done.returncode == 2
    assert done.stdout == b""
    assert done.stderr == (
        b"reportgen: error: the following arguments are required: INPUT (see reportgen --help)\n"
    )
