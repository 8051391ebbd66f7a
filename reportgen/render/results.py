"""The JSON results of SPEC.md: field names are a stable interface.

Full precision, no rounding. JSON has no infinity, so an infinite figure
(a model that gives probability 0 to a face that occurred) is written as null,
and ``reference.infinite_faces`` names the faces that made it so.
``schema_version`` names the version of ``results.schema.json`` the object
conforms to (``reportgen.schema``).
"""

from __future__ import annotations

import json
import math
from typing import Any

from reportgen import __version__
from reportgen.analysis import holdout
from reportgen.analysis.result import Analysis, CrossEntropy
from reportgen.schema import SCHEMA_VERSION

#: Fields of the whole document, once at its top: a group of ``--by`` is part of
#: the document, not a document of its own, so it repeats neither version.
_DOCUMENT_ONLY = ("reportgen", "schema_version")


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _floats(values: tuple[float, ...]) -> list[float | None]:
    return [_finite(v) for v in values]


def to_dict(analysis: Analysis, *, input_path: str | None = None) -> dict[str, Any]:
    """The SPEC.md results object for one analysis.

    ``input_path`` replaces ``input.path`` (the path as given): a PDF's
    ``results.json`` names the input as its pages do (``RollLog.name``).
    """
    log = analysis.log
    fitted = analysis.cross_entropy
    reference = analysis.reference
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
        "interval": _key(analysis.options.interval),
        "intervals": {
            _key(name): {"low": list(iv.low), "high": list(iv.high)}
            for name, iv in analysis.intervals.items()
        },
        "unit": analysis.options.unit,
        "entropy": analysis.entropy,
        "cross_entropy": {
            **_cross_entropy(fitted),
            "first": [
                {
                    "throw": throw.throw,
                    "face": analysis.faces[throw.k],
                    "t": list(throw.t),
                    "value": _finite(throw.value),
                }
                for throw in analysis.first
            ],
        },
        "reference": {
            "model": reference.model,
            "y": list(reference.y),
            "cross_entropy_total": _finite(reference.total),
            "cross_entropy_mean": _finite(reference.mean),
            "kl_divergence": _finite(analysis.kl_divergence),
            "infinite_faces": [analysis.faces[k] for k in analysis.infinite_faces],
        },
        "tests": {
            **{
                name: {"statistic": _finite(t.statistic), "df": t.df, "pvalue": t.pvalue}
                for name, t in analysis.tests.items()
            },
            **_exact(analysis),
        },
        **holdout_field(analysis),
    }
    if analysis.homogeneity is not None:
        h = analysis.homogeneity
        result["by"] = log.by
        result["groups"] = {
            name: {
                k: v
                for k, v in to_dict(group, input_path=input_path).items()
                if k not in _DOCUMENT_ONLY
            }
            for name, group in analysis.groups.items()
        }
        result["homogeneity"] = {
            "statistic": h.statistic,
            "df": h.df,
            "pvalue": h.pvalue,
            "g_statistic": h.g_statistic,
            "g_pvalue": h.g_pvalue,
        }
    return result


def _key(name: str) -> str:
    """A method's JSON key: ``sison-glaz`` becomes ``sison_glaz``."""
    return name.replace("-", "_")


def _exact(analysis: Analysis) -> dict[str, Any]:
    test = analysis.exact_multinomial
    if test is None:
        return {}
    return {
        "exact_multinomial": {
            "pvalue": test.pvalue,
            "method": test.method,
            "draws": test.draws,
            "stderr": test.stderr,
        }
    }


def holdout_field(analysis: Analysis) -> dict[str, Any]:
    """``{"holdout": …}`` of SPEC.md, or nothing for N < 10 or a frequency table.

    The first ``train`` throws fit, the last ``test`` score: mean cross-entropy
    (4.3) per test throw in ``unit`` under the training MLE (null when a face
    unseen in training shows in the test), the Laplace estimate and the model.
    """
    found = holdout.of(analysis)
    if found is None:
        return {}
    return {
        "holdout": {
            "train": found.train,
            "test": found.test,
            "cross_entropy_mean": {
                "mle": _finite(found.mle),
                "laplace": found.laplace,
                "model": _finite(found.model),
            },
        }
    }


def _cross_entropy(ce: CrossEntropy) -> dict[str, Any]:
    return {
        "model": ce.model,
        "per_face": _floats(ce.per_face),
        "total": _finite(ce.total),
        "mean": _finite(ce.mean),
    }


def to_json(analysis: Analysis, *, indent: int | None = 2, input_path: str | None = None) -> str:
    """Strict JSON (no NaN or Infinity tokens) with a trailing newline (``input_path``: see
    ``to_dict``)."""
    result = to_dict(analysis, input_path=input_path)
    return json.dumps(result, indent=indent, ensure_ascii=False, allow_nan=False) + "\n"


def _utf8(path: str) -> str:
    """A path as JSON text: a byte that is not UTF-8 (a surrogate escape) as ``\\xff``."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
