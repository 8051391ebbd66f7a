"""reportgen: die throws in, every figure of a lesson-grade statistical report out.

>>> import reportgen
>>> result = reportgen.analyse([4, 2, 6, 1, 4, 3, 5, 2, 4, 6, 1, 4, 5, 3, 2, 4, 6, 1, 5, 6])
>>> result.n, result.counts
(20, (3, 3, 2, 5, 3, 4))
>>> stat, p = result.tests["g_test"]  # unpacks as scipy's results do
>>> round(p, 4)
0.9044

The API, by the names of the JSON results (``docs/json.md``; ``docs/api.md`` is
its guide):

- ``analyse(source, **options)`` → ``Report``: a path, an open file, a pandas
  Series (throws, or ``value_counts()``), DataFrame or ``groupby``, a list or
  1-D array of throws, or a mapping face → count. The options are the command
  line's: ``faces``, ``column``, ``by``, ``counts``, ``encoding``,
  ``confidence`` (``0.95`` or ``"95%"``), ``interval``, ``model``, ``unit``,
  ``lang``, ``author``, ``seed``, ``walk``, ``draws``.
- ``Report``: ``counts``, ``mle``, ``intervals``, ``cross_entropy``,
  ``reference``, ``tests``, ``groups``, … (``help(reportgen.Report)``), and
  ``to_frame()``, ``conf_int(level, method)``, ``to_dict()``, ``to_json()``,
  ``to_html()``, ``to_pdf()``.
- ``power(effect, faces=…, …)``: throws a G-test needs to detect a bias.
- ``compare(result, model_a, model_b)``: two models on the same throws.
- ``plots``: each figure of the report on an Axes of yours.
- ``make_options(**options)``: options checked once, for several inputs.
- ``results_schema()``: the JSON Schema of ``to_dict()``.
- ``ReportgenError`` (``DataError``: bad data; ``UsageError``: a bad option):
  the command line's message, naming arguments as keywords (``confidence=``).

Names are imported on first use, so ``import reportgen`` (and a JSON-only run)
does not pay for pandas, matplotlib or WeasyPrint.
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
    "compare",
    "make_options",
    "plots",
    "power",
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
    "power": "reportgen.helpers",
    "compare": "reportgen.helpers",
}

if TYPE_CHECKING:
    from reportgen import plots
    from reportgen.analysis import Analysis
    from reportgen.api import Report, analyse, make_options
    from reportgen.errors import DataError, ReportgenError, UsageError
    from reportgen.helpers import compare, power
    from reportgen.schema import results_schema


def __getattr__(name: str) -> Any:
    import importlib

    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    if name == "plots":
        return importlib.import_module("reportgen.plots")
    raise AttributeError(f"module 'reportgen' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The public API only (``__all__``), not this module's own machinery."""
    return sorted(__all__)
