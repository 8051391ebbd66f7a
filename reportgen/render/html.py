"""The report as one self-contained HTML document (inline CSS and SVG, no URLs)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reportgen.render.catalogue import TEMPLATE, environment
from reportgen.render.context import page
from reportgen.render.quiet import quiet_libraries

if TYPE_CHECKING:
    from reportgen.analysis import Analysis


def html(analysis: Analysis) -> str:
    """Fill ``templates/report.html.j2`` with the page data of ``analysis``."""
    with quiet_libraries():  # the figures' and equations' libraries stay off stderr
        return environment().get_template(TEMPLATE).render(page(analysis).variables())
