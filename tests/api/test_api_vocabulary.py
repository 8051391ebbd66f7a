"""Issue 26, point 2: one vocabulary, the JSON's, for every public name of the result.

Two checks keep ``Report`` and ``results.schema.json`` from drifting apart again:

- every public attribute of the result and of each of its parts is a property
  of the matching object of the schema, or one of the few names listed below
  with why the JSON has no such field;
- every field of ``to_dict()`` is reached by the same names on the result
  (attributes, and keys for ``intervals``, ``tests`` and ``groups``), holding
  the same value (an infinite figure being the JSON's null).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pytest

import reportgen
from tests.conftest import DATA

SCHEMA = reportgen.results_schema()
DEFS = SCHEMA["$defs"]
ANALYSIS = DEFS["analysis"]["properties"]

#: Python-only names, and why the JSON has no field of theirs.
PYTHON_ONLY = {
    "report": {
        "k": "K, the lesson's letter for len(faces)",
        "verdict": "what the tests decide: the pages word it",
        "groups_verdict": "what homogeneity decides: the pages word it",
        "options": "the StatOptions the figures were computed with",
        "render": "the RenderOptions the pages show them with",
        "log": "the RollLog as read (checkpoints of the running mean)",
        "infinite_indices": "the indices of infinite_faces, for the renderers",
    },
    "cross_entropy": {"y": "ŷ itself, the JSON's top-level mle"},
    "first": {"k": "the face's index, as the lesson's tables use it"},
    "reference": {"per_face": "−log y_k, the model's side of to_frame()"},
    "exact_multinomial": {"statistic": "Pr(n), so that the test unpacks as the others do"},
}

#: Names of a JSON field at another place: the renderers' shortcuts, checked equal to it.
SHORTCUTS = {
    "report": {
        "kl_divergence": "reference.kl_divergence",
        "first_throws": "cross_entropy.first",
        "exact_multinomial": "tests.exact_multinomial",
        "infinite_faces": "reference.infinite_faces",
    },
    "reference": {"total": "cross_entropy_total", "mean": "cross_entropy_mean"},
}

#: Fields of the JSON document with no attribute: its versions, and the held-out figures
#: (computed on request by ``reportgen.analysis.holdout.of``).
JSON_ONLY = {"reportgen", "schema_version", "holdout"}


def _resolved(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node and "properties" not in node:
        node = DEFS[node["$ref"].rsplit("/", 1)[1]]
    return node


def _names(node: dict[str, Any]) -> set[str]:
    return set(_resolved(node).get("properties", {}))


def _public(obj: Any) -> set[str]:
    """Public data attributes (not methods) of an object."""
    kind = type(obj)
    return {
        name
        for name in dir(obj)
        if not name.startswith("_") and not callable(getattr(kind, name, None))
    }


def _follow(obj: Any, path: str) -> Any:
    for part in path.split("."):
        obj = obj[part] if isinstance(obj, Mapping) else getattr(obj, part)
    return obj


def _parts(report: Any) -> list[tuple[str, Any, set[str]]]:
    """(kind, object, its schema properties) for the result and each part of it."""
    tests = ANALYSIS["tests"]["properties"]
    found = [
        ("report", report, set(SCHEMA["properties"]) | set(ANALYSIS)),
        ("cross_entropy", report.cross_entropy, _names(ANALYSIS["cross_entropy"])),
        ("reference", report.reference, _names(ANALYSIS["reference"])),
        ("input", report.input, _names(ANALYSIS["input"])),
    ]
    exact = report.tests["exact_multinomial"]
    found.append(("exact_multinomial", exact, _names(tests["exact_multinomial"])))
    first = ANALYSIS["cross_entropy"]["properties"]["first"]["items"]
    found += [("first", throw, _names(first)) for throw in report.cross_entropy.first[:1]]
    for name in ("pearson_chi2", "g_test"):
        found.append((name, report.tests[name], _names(tests[name])))
    found += [("interval", iv, _names(DEFS["interval"])) for iv in report.intervals.values()]
    if report.homogeneity is not None:
        homogeneity = SCHEMA["properties"]["homogeneity"]
        found.append(("homogeneity", report.homogeneity, _names(homogeneity)))
        exact = homogeneity["properties"]["exact"]
        found.append(("homogeneity.exact", report.homogeneity.exact, _names(exact)))
    for group in report.groups.values():
        found += _parts(group)
    return found


@pytest.fixture(scope="module")
def report():
    return reportgen.analyse(DATA / "two_dice.csv", by="die", model="0.1,0.1,0.1,0.1,0.1,0.5")


def test_every_public_name_of_the_result_and_its_parts_is_the_schemas(report):
    for kind, obj, schema_names in _parts(report):
        extra = set(PYTHON_ONLY.get(kind, {})) | set(SHORTCUTS.get(kind, {}))
        unknown = _public(obj) - schema_names - extra
        assert not unknown, f"{kind}: {sorted(unknown)} are not names of the JSON results"
        for name, target in SHORTCUTS.get(kind, {}).items():
            assert getattr(obj, name) == _follow(obj, target), (kind, name)


def _same(json_value: Any, value: Any, where: str) -> None:
    if isinstance(json_value, dict):
        for key, inner in json_value.items():
            if key not in JSON_ONLY:
                _same(inner, _follow(value, key), f"{where}.{key}")
    elif isinstance(json_value, list):
        assert len(json_value) == len(value), where
        for i, (inner, item) in enumerate(zip(json_value, value, strict=True)):
            _same(inner, item, f"{where}[{i}]")
    elif json_value is None:
        assert value is None or math.isinf(value), where
    else:
        assert json_value == value, where


def test_every_field_of_the_json_is_reached_by_the_same_names(report):
    _same(report.to_dict(), report, "result")


def test_the_issues_four_names():
    result = reportgen.analyse([1, 1, 2, 3, 4, 5, 6, 6], model=[0, 0.2, 0.2, 0.2, 0.2, 0.2])
    assert result.intervals["sison_glaz"] == result.intervals["sison-glaz"]
    assert list(result.intervals) == list(result.to_dict()["intervals"])
    shown = reportgen.analyse([1, 2, 3, 4, 5, 6], interval="sison_glaz")
    assert shown.interval == "sison_glaz" == shown.to_dict()["interval"]
    assert reportgen.analyse([1, 2], interval="sison-glaz").interval == "sison_glaz"
    assert list(result.tests) == ["pearson_chi2", "g_test", "exact_multinomial"]
    assert result.tests["exact_multinomial"].pvalue == 0.0  # face 1 seen, y_1 = 0
    assert result.reference.cross_entropy_total == math.inf == result.reference.total
    assert result.infinite_faces == (1,) == tuple(result.to_dict()["reference"]["infinite_faces"])
    assert result.infinite_indices == (0,)


def test_the_pages_name_the_face_the_model_forbids_by_its_label():
    """infinite_faces became labels; the renderers, which index per-face lists, read
    infinite_indices (a label used as an index would name face 6 here, not 5)."""
    from reportgen.render import wording
    from reportgen.render.catalogue import messages, plain

    result = reportgen.analyse([1, 2, 5], model=[0.25, 0.25, 0.25, 0.25, 0, 0])
    assert result.infinite_faces == (5,) and result.infinite_indices == (4,)
    words = plain(wording.verdict(result, messages("en")))
    assert "5, which occurred" in words and "6" not in words
