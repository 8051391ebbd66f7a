"""The notebook card: what ``Report._repr_html_`` shows instead of the whole report.

The whole report is about 380 KB of HTML (its figures and equations are inline
SVG), and a notebook stores a cell's output again at every run. The card holds
what a reader looks for first, in a few KB plus one small figure: the counts
with ŷ and the report's interval, the total cross-entropy under ŷ and under the
model, and the verdict. Every word comes from the report's catalogue; numbers
go through ``render.numbers`` like the report's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reportgen.printable import clean
from reportgen.render.catalogue import messages, plain
from reportgen.render.layout import visible
from reportgen.render.numbers import fmt_count, fmt_number, fmt_percent
from reportgen.render.quiet import quiet_libraries
from reportgen.render.wording import model_name, verdict

if TYPE_CHECKING:
    from reportgen.analysis import Analysis
    from reportgen.options import RenderOptions

#: The card's figure, in inches: small beside the table.
FIGSIZE = (4.2, 2.1)

_CELL = 'style="padding:0.1em 0.6em;text-align:right"'
_HEAD = 'style="padding:0.1em 0.6em;text-align:right;border-bottom:1px solid #999"'


def card(analysis: Analysis, render: RenderOptions) -> str:
    """A compact HTML summary of ``analysis`` for a notebook cell (no scripts, no URLs)."""
    from markupsafe import Markup, escape

    m = messages(render.lang, coin=analysis.k == 2)
    unit = m["units"][analysis.options.unit]
    interval = analysis.intervals[render.interval]
    level = fmt_percent(analysis.options.confidence)
    method = m["intervals"][render.interval]
    s7 = m["s7"]
    heads = [s7["face"], s7["n_k"], s7["mle"], f"{level} {method}: {s7['low']}", s7["high"]]
    rows = []
    for j in visible(analysis.k):
        if j is None:
            rows.append(f'<tr><td {_CELL} colspan="5">…</td></tr>')
            continue
        cells = [
            escape(clean(str(analysis.faces[j]))),
            fmt_count(analysis.counts[j]),
            fmt_number(analysis.mle[j]),
            fmt_number(interval.low[j]),
            fmt_number(interval.high[j]),
        ]
        rows.append("<tr>" + "".join(f"<td {_CELL}>{cell}</td>" for cell in cells) + "</tr>")
    totals = [
        (m["s6"]["model_mle"], analysis.cross_entropy.total),
        (model_name(analysis, m), analysis.reference.total),
    ]
    total_rows = "".join(
        f"<tr><td {_CELL}>{Markup(name)}</td><td {_CELL}>{fmt_number(value)} {unit}</td></tr>"
        for name, value in totals
    )
    source = escape(clean(analysis.log.source))
    return (
        '<div class="reportgen-card" style="font-family:sans-serif;max-width:44em">'
        f"<p><b>{escape(plain(m['meta']['title']))}</b> · {source} · "
        f"<var>N</var> = {fmt_count(analysis.n)}, <var>K</var> = {analysis.k}</p>"
        '<div style="display:flex;flex-wrap:wrap;gap:1em;align-items:flex-start">'
        '<table style="border-collapse:collapse">'
        "<tr>" + "".join(f"<th {_HEAD}>{Markup(h)}</th>" for h in heads) + "</tr>"
        f"{''.join(rows)}</table>"
        f"<div>{_figure(analysis, render)}</div></div>"
        f'<table style="border-collapse:collapse;margin-top:0.5em">'
        f"<tr><th {_HEAD}>{Markup(m['s6']['model'])}</th>"
        f"<th {_HEAD}>{Markup(m['s6']['col_total'])}</th></tr>{total_rows}</table>"
        f"<p>{verdict(analysis, m)}</p>"
        "<p><code>.to_html()</code>, <code>.to_pdf(path)</code></p></div>"
    )


def _figure(analysis: Analysis, render: RenderOptions) -> Any:
    """The frequencies with their intervals, small, as inline SVG (detached from pyplot)."""
    from reportgen.render import plots, svg

    with quiet_libraries():
        ax = plots.frequencies(analysis, lang=render.lang, interval=render.interval)
        ax.figure.set_size_inches(*FIGSIZE)
        return svg.to_svg(ax.figure, id_prefix="card")
