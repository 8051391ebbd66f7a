"""reportgen: a lesson-grade statistical report from logs of die throws.

The data flows one way, and imports only go down: ``read`` (bytes -> RollLog)
-> ``analysis`` (RollLog -> Analysis) -> ``render`` (JSON, SVG, HTML, PDF) ->
``api`` (``analyse(source, **options)`` -> ``Report``) -> ``cli``. The command
line is a thin layer over the API; ``docs/architecture.md`` maps the rooms.

Names are imported on first use, so ``import reportgen`` (and a JSON-only
run) does not pay for pandas, matplotlib or WeasyPrint.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "Analysis",
    "DataError",
    "Report",
    "ReportgenError",
    "UsageError",
    "__version__",
    "analyse",
    "make_options",
    "results_schema",
]

_LAZY = {
    "analyse": "reportgen.api",
    "make_options": "reportgen.api",
    "Analysis": "reportgen.analysis",
    "Report": "reportgen.api",
    "ReportgenError": "reportgen.errors",
    "DataError": "reportgen.errors",
    "UsageError": "reportgen.errors",
    "results_schema": "reportgen.schema",
}

if TYPE_CHECKING:
    from reportgen.analysis import Analysis
    from reportgen.api import Report, analyse, make_options
    from reportgen.errors import DataError, ReportgenError, UsageError
    from reportgen.schema import results_schema


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'reportgen' has no attribute {name!r}")
