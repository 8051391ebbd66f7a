"""The JSON format: the results of ``docs/json.md``, whose field names are a stable interface.

Full precision, no rounding. JSON has no infinity, so an infinite figure
(a model that gives probability 0 to a face that occurred) is written as null,
and ``reference.infinite_faces`` names the faces that made it so.
``schema_version`` names the version of ``results.schema.json`` the object
conforms to (``reportgen.schema``).
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any

from reportgen import __version__
from reportgen.render.formats.base import Document, Format
from reportgen.schema import SCHEMA_VERSION

if TYPE_CHECKING:
    from reportgen.analysis.result import Analysis, CrossEntropy

#: Fields of the whole document, once at its top: a group of ``--by`` is part of
#: the document, not a document of its own, so it repeats neither version.
_DOCUMENT_ONLY = ("reportgen", "schema_version")


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _floats(values: tuple[float, ...]) -> list[float | None]:
    return [_finite(v) for v in values]


def to_dict(
    analysis: Analysis, *, interval: str = "wilson", input_path: str | None = None
) -> dict[str, Any]:
    """The results object of ``docs/json.md`` for one analysis.

    ``interval``: the method the pages show (``RenderOptions.interval``).
    ``input_path`` replaces ``input.path`` (the path as given): a PDF's
    ``results.json`` names the input as its pages do (``RollLog.name``).
    """
    log = analysis.log
    result: dict[str, Any] = {
        "reportgen": __version__,
        "schema_version": SCHEMA_VERSION,
        "input": {
            "path": _utf8(log.source if input_path is None else input_path),
            "sha256": log.sha256,
            "column": log.column,
            "format": log.format,
        },
        "faces": list(analysis.faces),
        "n": analysis.n,
        "counts": list(analysis.counts),
        "mle": list(analysis.mle),
        "confidence_level": analysis.options.confidence,
        "interval": _key(interval),
        "intervals": {
            _key(name): {"low": list(iv.low), "high": list(iv.high)}
            for name, iv in analysis.intervals.items()
        },
        "unit": analysis.options.unit,
        "entropy": analysis.entropy,
        "cross_entropy": _fitted(analysis),
        "reference": _reference(analysis),
        "tests": _tests(analysis),
        **_holdout(analysis),
    }
    if analysis.homogeneity is not None:
        result |= _groups(analysis, interval, input_path)
    return result


def _fitted(analysis: Analysis) -> dict[str, Any]:
    """``cross_entropy``: (4.3) under the MLE, and the first throws one by one."""
    first = [
        {
            "throw": throw.throw,
            "face": analysis.faces[throw.k],
            "t": list(throw.t),
            "value": _finite(throw.value),
        }
        for throw in analysis.first_throws
    ]
    return {**_cross_entropy(analysis.cross_entropy), "first": first}


def _reference(analysis: Analysis) -> dict[str, Any]:
    """``reference``: (4.3) under ``--model``, its divergence and the faces it forbids."""
    reference = analysis.reference
    return {
        "model": reference.model,
        "y": list(reference.y),
        "cross_entropy_total": _finite(reference.total),
        "cross_entropy_mean": _finite(reference.mean),
        "kl_divergence": _finite(analysis.kl_divergence),
        "infinite_faces": list(reference.infinite_faces),
    }


def _tests(analysis: Analysis) -> dict[str, Any]:
    tests: dict[str, Any] = {
        name: {"statistic": _finite(t.statistic), "df": t.df, "pvalue": t.pvalue}
        for name, t in analysis.tests.items()
        if name != "exact_multinomial"
    }
    return tests | _exact(analysis)


def _groups(analysis: Analysis, interval: str, input_path: str | None) -> dict[str, Any]:
    """``by``, ``groups`` (each group's fields, without the document's versions) and
    ``homogeneity``."""
    h = analysis.homogeneity
    assert h is not None
    groups = {
        name: {
            k: v
            for k, v in to_dict(group, interval=interval, input_path=input_path).items()
            if k not in _DOCUMENT_ONLY
        }
        for name, group in analysis.groups.items()
    }
    homogeneity: dict[str, Any] = {
        "statistic": h.statistic,
        "df": h.df,
        "pvalue": h.pvalue,
        "g_statistic": h.g_statistic,
        "g_pvalue": h.g_pvalue,
    }
    if h.exact is not None:
        e = h.exact
        homogeneity["exact"] = {
            "pvalue": e.pvalue,
            "method": e.method,
            "draws": e.draws,
            "seed": e.seed,
            "stderr": e.stderr,
        }
    return {"by": analysis.log.by, "groups": groups, "homogeneity": homogeneity}


def _key(name: str) -> str:
    """A method's JSON key: ``sison-glaz`` becomes ``sison_glaz``."""
    return name.replace("-", "_")


def _exact(analysis: Analysis) -> dict[str, Any]:
    """``tests.exact_multinomial``: p, how it was computed, and with several dice its Holm p."""
    test = analysis.exact_multinomial
    found: dict[str, Any] = {
        "pvalue": test.pvalue,
        "method": test.method,
        "draws": test.draws,
        "stderr": test.stderr,
        "seed": test.seed,
    }
    if test.pvalue_holm is not None:
        found["pvalue_holm"] = test.pvalue_holm
    return {"exact_multinomial": found}


def _holdout(analysis: Analysis) -> dict[str, Any]:
    """``holdout`` (``docs/json.md``), or nothing for N < 10 or a frequency table.

    The first ``train`` throws fit, the last ``test`` score: mean cross-entropy
    (4.3) per test throw in ``unit`` under the training MLE (null when a face
    unseen in training shows in the test), the Laplace estimate and the model.
    """
    from reportgen.analysis import holdout

    found = holdout.of(analysis)
    if found is None:
        return {}
    means = {"mle": _finite(found.mle), "laplace": found.laplace, "model": _finite(found.model)}
    return {"holdout": {"train": found.train, "test": found.test, "cross_entropy_mean": means}}


def _cross_entropy(ce: CrossEntropy) -> dict[str, Any]:
    return {
        "model": ce.model,
        "per_face": _floats(ce.per_face),
        "total": _finite(ce.total),
        "mean": _finite(ce.mean),
    }


def to_json(
    analysis: Analysis,
    *,
    indent: int | None = 2,
    interval: str = "wilson",
    input_path: str | None = None,
) -> str:
    """Strict JSON (no NaN or Infinity tokens) with a trailing newline (the keywords: see
    ``to_dict``)."""
    result = to_dict(analysis, interval=interval, input_path=input_path)
    return json.dumps(result, indent=indent, ensure_ascii=False, allow_nan=False) + "\n"


def export(document: Document) -> bytes:
    """The JSON results of the document's analysis, indented."""
    return to_json(document.analysis, interval=document.render.interval).encode("utf-8")


def export_line(document: Document) -> bytes:
    """The same on one line (JSON Lines: several inputs with ``-f json -o -``)."""
    text = to_json(document.analysis, indent=None, interval=document.render.interval)
    return text.encode("utf-8")


FORMAT = Format("json", ".json", "application/json", ("report",), export)


def _utf8(path: str) -> str:
    """A path as JSON text: a byte that is not UTF-8 (a surrogate escape) as ``\\xff``."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
