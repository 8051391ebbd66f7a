"""reportgen: a lesson-grade statistical report from logs of die throws.

The data flows one way: ``ingest`` (bytes -> RollLog) -> ``analysis``
(RollLog -> Analysis) -> ``results`` (JSON) and ``render`` (HTML, PDF).
``reportgen.analyse(source, **options)`` runs it from Python; the command
line is a thin layer over it.

Names are imported on first use, so ``import reportgen`` (and a JSON-only
run) does not pay for pandas, matplotlib or WeasyPrint.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "Analysis",
    "DataError",
    "ReportgenError",
    "UsageError",
    "__version__",
    "analyse",
    "make_options",
]

_LAZY = {
    "analyse": "reportgen.api",
    "make_options": "reportgen.api",
    "Analysis": "reportgen.analysis",
    "ReportgenError": "reportgen.errors",
    "DataError": "reportgen.errors",
    "UsageError": "reportgen.errors",
}

if TYPE_CHECKING:
    from reportgen.analysis import Analysis
    from reportgen.api import analyse, make_options
    from reportgen.errors import DataError, ReportgenError, UsageError


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'reportgen' has no attribute {name!r}")
