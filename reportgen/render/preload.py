"""Importing this module imports the libraries a PDF or HTML report is drawn with.

The batch's forkserver imports it once (``reportgen.cli.engines``), so each
worker forked from it starts with WeasyPrint, matplotlib and jinja2 loaded
(about 1.2 s a worker) instead of importing them on its first report.
Importing is all it does: nothing is configured, and the libraries' import
warnings stay off stderr as in ``render.pdf``.
"""

from __future__ import annotations

import warnings

with warnings.catch_warnings():
    # Said on import when the machine has no fonts at all: the report needs none.
    warnings.filterwarnings("ignore", "No fonts configured in FontConfig")
    import jinja2  # noqa: F401
    import matplotlib.backends.backend_svg  # noqa: F401
    import matplotlib.figure  # noqa: F401
    import weasyprint  # noqa: F401
