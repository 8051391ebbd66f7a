"""HTML and PDF reports: one Jinja environment, context building, writing.

``html(analysis)`` fills ``templates/report.html.j2`` with plain data built
from an ``Analysis``; ``pdf(analysis)`` lays that HTML out with WeasyPrint.
Numbers are formatted here and in the template's named filters only; the
analysis itself is never rounded. Every word a reader sees comes from the
message catalogue ``templates/messages/<lang>.json``.

The report is self-contained: CSS and SVG are inline, and WeasyPrint is given
a URL fetcher that refuses everything except the font files shipped inside
installed Python packages (the CJK fallback of ``reportgen.fonts``), so
rendering never touches the network. The PDF is PDF/A-3b and carries its data:
the input log (or its frequency table) and the JSON results as attachments.
With ``SOURCE_DATE_EPOCH`` set, every date in the HTML and PDF comes from it,
so the same input and options give the same bytes. Nothing happens at import
time; Jinja, matplotlib, ziamath and WeasyPrint are imported on first use.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import io
import json
import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportgen import __version__, equations, tables

if TYPE_CHECKING:
    import jinja2

    from reportgen.analysis import Analysis

#: Template of the whole report, relative to the templates folder.
TEMPLATE = "report.html.j2"

#: Throws shown one by one in the per-sample table (the lesson's experiment had 20).
SHOWN_THROWS = 20

#: Above this many faces, tables that would get one column (or row) per face are elided.
WIDE = 12

#: Above this many faces, the long per-face tables flow in several columns.
MANY = 40

#: Hex digits of the input's SHA-256 printed in "about this report".
SHA_PREFIX = 12

#: Inputs up to this size are embedded in the PDF as they are; larger ones as their
#: frequency table (CSV). 1 MiB keeps a lesson PDF mailable.
EMBED_LIMIT = 1 << 20

#: How each ``--unit`` writes its logarithm in equations.
LOG_TEX = {"nat": r"\log", "bit": r"\log_2"}


def templates_dir() -> Path:
    """The templates folder: inside the package in a wheel, at the top level in a checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "templates", here.parent / "templates"):
        if (candidate / TEMPLATE).is_file():
            return candidate
    raise FileNotFoundError(f"reportgen templates not found next to {here}; reinstall reportgen")


# ---------------------------------------------------------------- formatting


def fmt_number(value: float, digits: int = 4, *, minus: str = "\u2212") -> str:
    """A real number with ``digits`` decimals, a true minus sign and ∞ for infinity."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return ("" if value > 0 else minus) + "\u221e"
    text = f"{value:.{digits}f}"
    if text.startswith("-"):
        # -0.0000 is zero on the page
        text = text[1:] if float(text) == 0 else minus + text[1:]
    return text


def fmt_count(value: int) -> str:
    """A whole number with thousands separated by a thin space (ISO 80000-1)."""
    return f"{value:,}".replace(",", "\u2009")


def fmt_percent(level: float) -> str:
    """A confidence level as a percentage: 0.95 → ``95%``, 0.999 → ``99.9%``."""
    return f"{level * 100:.10g}%"


def fmt_pvalue(p: float, digits: int = 4) -> str:
    """A p-value with its relation: ``= 0.9012``, or ``< 0.0001`` rather than ``= 0.0000``."""
    floor = 10.0**-digits
    return f"< {floor:.{digits}f}" if p < floor else "= " + fmt_number(p, digits)


def fmt_tex(value: float, digits: int = 4) -> str:
    """A number for LaTeX: ``\\infty`` for infinity, negatives braced so the minus is unary."""
    text = r"\infty" if math.isinf(value) else fmt_number(abs(value), digits)
    return "{-" + text + "}" if value < 0 and text.strip("0.") else text


def _fill(message: Any, **values: Any) -> Any:
    """Fill ``{name}`` placeholders of a catalogue message; values are HTML-escaped."""
    from markupsafe import Markup

    return Markup(message).format(**values)


FILTERS = {
    "num": fmt_number,
    "count": fmt_count,
    "percent": fmt_percent,
    "pvalue": fmt_pvalue,
    "fill": _fill,
}


@functools.cache
def environment() -> jinja2.Environment:
    """The one Jinja environment of reportgen (built on first use, then reused).

    ``autoescape=True`` explicitly: ``select_autoescape()`` matches on file
    extensions and would not escape ``*.html.j2``.
    """
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir()),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(FILTERS)
    return env


def messages(lang: str) -> dict[str, Any]:
    """The message catalogue of ``lang`` with every string marked safe markup.

    The catalogue is part of reportgen (trusted, may hold ``<i>``/``<sub>``);
    the values filled into it are escaped by ``fill``.
    """
    from markupsafe import Markup

    path = templates_dir() / "messages" / f"{lang}.json"
    data = json.loads(path.read_text(encoding="utf-8"))

    def mark(node: Any) -> Any:
        if isinstance(node, dict):
            return {key: mark(value) for key, value in node.items()}
        if isinstance(node, list):
            return [mark(value) for value in node]
        return Markup(node) if isinstance(node, str) else node

    return mark(data)


def _plain(markup: Any) -> str:
    """Catalogue text without markup, for plot labels and metadata."""
    from markupsafe import Markup

    return Markup(markup).striptags()


# ---------------------------------------------------------------- context


def _elide(keep: Sequence[int]) -> list[int | None]:
    """Sorted indices with ``None`` wherever a run of indices is skipped."""
    shown: list[int | None] = []
    for index in sorted(set(keep)):
        if shown and shown[-1] is not None and index != shown[-1] + 1:
            shown.append(None)
        shown.append(index)
    return shown


def _visible(k: int, seen: Sequence[int] = ()) -> list[int | None]:
    """Face indices a K-row table shows: all for small K, else the ends and ``seen`` (None = ⋮)."""
    return list(range(k)) if k <= WIDE else _elide([0, 1, 2, k - 1, *seen])


def _terms(k: int, seen: int) -> list[int | None]:
    """Terms of a sum over k written out: all for K ≤ 6, else 1, 2, the seen face, K (None = ⋯)."""
    return list(range(k)) if k <= 6 else _elide([0, 1, seen, k - 1])


def _sum_tex(parts: list[str | None], per_line: int = 0) -> str:
    """Terms joined by +, ``None`` as ⋯; with ``per_line``, broken into rows of an ``aligned``."""
    terms = [r"\cdots" if part is None else part for part in parts]
    if not per_line:
        return " + ".join(terms)
    rows = [" + ".join(terms[i : i + per_line]) for i in range(0, len(terms), per_line)]
    return r" \\ &\quad + ".join(rows)


def _equations(analysis: Analysis) -> dict[str, equations.Equation]:
    """Every display equation of the report, with this log's numbers where the lesson has them."""
    unit = analysis.options.unit
    log = LOG_TEX[unit]
    k_faces = analysis.k
    y = analysis.mle
    counts = analysis.counts

    def eq(latex: str, number: str | None = None) -> equations.Equation:
        return equations.equation(latex, number)

    found: dict[str, equations.Equation] = {
        "likelihood": eq(r"L = \prod_{k=1}^{K} y_k^{\,n_k}"),
        "3.6": eq(rf"{log} L = \sum_{{k=1}}^{{K}} n_k {log} y_k", "3.6"),
        "4.1": eq(rf"{log} L = \sum_{{k=1}}^{{{k_faces}}} t_k {log} y_k", "4.1"),
        "4.2": eq(rf"{log} L = \sum_{{k=1}}^{{K}} t_k {log} y_k", "4.2"),
        "4.3": eq(rf"E = -{log} L = -\sum_{{k=1}}^{{K}} t_k {log} y_k", "4.3"),
        "4.3_typo": eq(rf"-{log} L = \sum_{{k=1}}^{{K}} t_k {log} y_k"),
        "mle": eq(r"\hat y_k = \frac{n_k}{N}"),
        "total": eq(
            rf"\sum_{{i=1}}^{{N}} E_i = -\sum_{{i=1}}^{{N}} \sum_{{k=1}}^{{K}} t_{{ik}} {log} y_k"
            rf" = -\sum_{{k=1}}^{{K}} n_k {log} y_k"
        ),
        "gibbs": eq(
            r"\frac{1}{N} \sum_{i=1}^{N} E_i(y) = H(\hat p) + D_{\mathrm{KL}}(\hat p \,\|\, y)"
            r" \ge H(\hat p)"
        ),
    }
    c = "" if unit == "nat" else r"(\ln 2)\,"  # d(log₂ y)/dy = 1/(y ln 2)
    found["lagrange"] = eq(
        r"\begin{aligned}"
        rf"\Lambda(y, \lambda) &= \sum_{{k=1}}^{{K}} n_k {log} y_k"
        r" - \lambda \Bigl(\sum_{k=1}^{K} y_k - 1\Bigr) \\"
        rf"\frac{{\partial \Lambda}}{{\partial y_k}} &= \frac{{n_k}}{{{c}y_k}} - \lambda = 0"
        rf" \quad\Rightarrow\quad y_k = \frac{{n_k}}{{{c}\lambda}} \\"
        rf"\sum_{{k=1}}^{{K}} y_k = 1 &\quad\Rightarrow\quad {c}\lambda = N"
        r" \quad\Rightarrow\quad \hat y_k = \frac{n_k}{N}"
        r"\end{aligned}"
    )
    found["hessian"] = eq(
        rf"\frac{{\partial^2 {log} L}}{{\partial y_j \, \partial y_k}}"
        rf" = \begin{{cases}} -\dfrac{{n_k}}{{{c}y_k^2}} & j = k \\ 0 & j \ne k \end{{cases}}"
    )
    reference, fitted = analysis.reference, analysis.cross_entropy
    g = analysis.tests["g_test"].statistic
    factor = "2" if unit == "nat" else r"2 \ln 2"
    if math.isfinite(g) and math.isfinite(reference.total):
        found["bridge"] = eq(
            r"\begin{aligned}"
            rf"G &= {factor} \Bigl(\sum_{{i}} E_i(y) - \sum_{{i}} E_i(\hat y)\Bigr)"
            rf" = {factor}\,N\, D_{{\mathrm{{KL}}}}(\hat p \,\|\, y) \\"
            rf" &= {factor} \times ({fmt_tex(reference.total)} - {fmt_tex(fitted.total)})"
            rf" = {factor} \times {analysis.n} \times {fmt_tex(analysis.kl_divergence, 6)}"
            rf" = {fmt_tex(g)}"
            r"\end{aligned}"
        )
    # (3.6) at the MLE, written out over the faces (elided for many faces).
    seen_most = max(range(k_faces), key=lambda j: counts[j])
    parts = [
        None if j is None else rf"{counts[j]} {log} {fmt_tex(y[j])}"
        for j in _terms(k_faces, seen_most)
    ]
    found["3.6_value"] = eq(
        r"\begin{aligned}"
        rf"{log} L(\hat y) &= {_sum_tex(parts, per_line=3)} \\"
        rf" &= {fmt_tex(-analysis.cross_entropy.total)}"
        r"\end{aligned}"
    )
    if analysis.first:
        first = analysis.first[0]
        terms = _terms(k_faces, first.k)
        symbols = [None if j is None else rf"{first.t[j]} \cdot {log} y_{{{j + 1}}}" for j in terms]
        values = [
            None if j is None else rf"{first.t[j]} \cdot {log} {fmt_tex(y[j])}" for j in terms
        ]
        found["4.1_worked"] = eq(
            r"\begin{aligned}"
            rf"{log} L &= {_sum_tex(symbols)} \\"
            rf" &= {_sum_tex(values, per_line=3)} \\"
            rf" &= {log} y_{{{first.k + 1}}} = {log} {fmt_tex(y[first.k])}"
            rf" = {fmt_tex(-first.value)}"
            r"\end{aligned}"
        )
    return found


def _figures(analysis: Analysis, m: dict[str, Any], unit_name: str) -> dict[str, dict[str, Any]]:
    """The plots as inline SVG with their numbered captions, by name, in order of appearance."""
    from markupsafe import Markup

    from reportgen import figures, plots

    text = m["figures"]
    level = fmt_percent(analysis.options.confidence)
    interval_name = _plain(m["intervals"][analysis.options.interval])
    captions = {
        "running": lambda: _fill(text["running_caption"], n=fmt_count(analysis.n)),
        "bars": lambda: _fill(
            text["bars_caption"], level=level, method=interval_name, k=analysis.k
        ),
        "profile": lambda: _profile_caption(analysis, text),
        "model": lambda: _fill(
            text["model_caption"], unit=unit_name, model=_model_name(analysis, m)
        ),
        "groups": lambda: _fill(
            text["groups_caption"], level=level, method=interval_name, k=analysis.k
        ),
    }
    made: dict[str, dict[str, Any]] = {}
    for name, draw in plots.PLOTS.items():
        ax = draw(analysis)
        if ax is None:  # e.g. no running mean for a frequency table, no groups without --by
            continue
        caption = captions[name]()
        made[name] = {
            "svg": figures.to_svg(ax.figure, title=_plain(caption), id_prefix=f"fig-{name}"),
            "caption": caption,
        }
    # Numbered in order of appearance: the running mean (section 6) comes before the bars (7).
    for number, figure in enumerate(made.values(), start=1):
        figure["number"] = number
        figure["svg"] = Markup(figure["svg"])
    return made


def _profile_caption(analysis: Analysis, text: dict[str, Any]) -> Any:
    from reportgen.plots import profile_selection

    caption = _fill(text["profile_caption"], level=fmt_percent(analysis.options.confidence))
    shown = len(profile_selection(analysis.k))
    if shown < analysis.k:
        caption = caption + " " + _fill(text["profile_selection"], shown=shown, k=analysis.k)
    return caption


def _model_name(analysis: Analysis, m: dict[str, Any]) -> Any:
    """How the report names the ``--model``: a fair die, or the given probabilities."""
    if analysis.options.model == "fair":
        return _fill(m["models"]["fair"], k=analysis.k)
    shown = ", ".join(fmt_number(y, 4).rstrip("0").rstrip(".") for y in analysis.reference.y)
    return _fill(m["models"]["given"], y=shown)


def _profile_cut(level: float) -> float:
    """χ²₁(level)/2: how far below its maximum the profile log-likelihood may fall."""
    from scipy.special import chdtri

    return float(chdtri(1, 1 - level)) / 2


def _pvalue_exact(test: Any, m: dict[str, Any]) -> Any:
    """The exact multinomial test's p-value as the report words it (Monte Carlo says so)."""
    text = m["fairness"]
    if test.method == "enumeration" and test.draws == 0:  # y_k = 0 for a face that occurred
        return text["exact_impossible"]
    if test.method == "enumeration":
        return _fill(
            text["exact_enumerated"], p=fmt_pvalue(test.pvalue), outcomes=fmt_count(test.draws)
        )
    if test.pvalue == 0:
        return _fill(text["exact_mc_zero"], draws=fmt_count(test.draws))
    return _fill(
        text["exact_mc"],
        p=fmt_pvalue(test.pvalue),
        draws=fmt_count(test.draws),
        se=fmt_number(test.stderr, 5),
    )


def _verdict(analysis: Analysis, m: dict[str, Any]) -> dict[str, Any]:
    """Reject the model at α = 1 − confidence? Decided by the exact multinomial test.

    The exact test is used because it needs no large-sample approximation; χ²
    and G are printed beside it. Returns the sentence and the numbers it uses.
    """
    text = m["fairness"]
    alpha = 1 - analysis.options.confidence
    test = analysis.exact_multinomial
    model = _model_name(analysis, m)
    alpha_text = f"{alpha:.10g}"
    if analysis.infinite_faces:
        faces = ", ".join(str(analysis.faces[j]) for j in analysis.infinite_faces)
        return {
            "reject": True,
            "sentence": _fill(text["verdict_impossible"], model=model, faces=faces),
        }
    if test.method == "monte-carlo" and test.pvalue == 0:
        p_text = "< 1/" + fmt_count(test.draws)
    else:
        p_text = fmt_pvalue(test.pvalue)
    reject = test.pvalue < alpha
    key = "verdict_reject" if reject else "verdict_keep"
    return {"reject": reject, "sentence": _fill(text[key], model=model, alpha=alpha_text, p=p_text)}


def _interval_rows(analysis: Analysis) -> list[dict[str, Any] | None]:
    """Every interval of every shown face (None = rows left out for many faces)."""
    from reportgen.estimate import METHODS

    rows: list[dict[str, Any] | None] = []
    for j in _visible(analysis.k):
        if j is None:
            rows.append(None)
            continue
        rows.append(
            {
                "face": analysis.faces[j],
                "mle": analysis.mle[j],
                "methods": [
                    (analysis.intervals[name].low[j], analysis.intervals[name].high[j])
                    for name in METHODS
                ],
            }
        )
    return rows


def _group(name: str, g: Analysis, m: dict[str, Any]) -> dict[str, Any]:
    """One die of ``--by``: what its compact section shows."""
    ivl = g.interval
    return {
        "name": name,
        "n": g.n,
        "rows": [
            {
                "face": g.faces[j],
                "n_k": g.counts[j],
                "mle": g.mle[j],
                "low": ivl.low[j],
                "high": ivl.high[j],
            }
            for j in range(g.k)
        ],
        "entropy": g.entropy,
        "fitted_total": g.cross_entropy.total,
        "reference_total": g.reference.total,
        "chi2": g.tests["pearson_chi2"],
        "g": g.tests["g_test"],
        "exact": _pvalue_exact(g.exact_multinomial, m),
        "verdict": _verdict(g, m),
    }


def _statistics(analysis: Analysis, m: dict[str, Any]) -> dict[str, Any]:
    """Context of the sections that answer issue 3: intervals, fairness, model, several dice."""
    from reportgen.estimate import METHODS, SIMULTANEOUS
    from reportgen.plots import terms_per_face

    reference = analysis.reference
    model_rows = [
        {
            "face": analysis.faces[j],
            "n_k": analysis.counts[j],
            "mle_e": analysis.cross_entropy.per_face[j],
            "model_y": reference.y[j],
            "model_e": reference.per_face[j],
            "mle_term": t_mle,
            "model_term": t_model,
            "infinite": not math.isfinite(t_model),
        }
        for j, (t_mle, t_model) in enumerate(
            zip(
                terms_per_face(analysis.counts, analysis.cross_entropy.per_face),
                terms_per_face(analysis.counts, reference.per_face),
                strict=True,
            )
        )
    ]
    h = analysis.homogeneity
    alpha = 1 - analysis.options.confidence
    homogeneity = None
    if h is not None:
        key = "homogeneity_reject" if h.pvalue < alpha else "homogeneity_keep"
        homogeneity = {
            "chi2": h.statistic,
            "chi2_p": h.pvalue,
            "g": h.g_statistic,
            "g_p": h.g_pvalue,
            "df": h.df,
            "verdict": _fill(
                m["groups"][key],
                alpha=f"{alpha:.10g}",
                p=fmt_pvalue(h.pvalue),
                groups=len(analysis.groups),
            ),
        }
    groups = [_group(str(name), g, m) for name, g in analysis.groups.items()]
    return {
        "methods": list(METHODS),
        "simultaneous": list(SIMULTANEOUS),
        "interval_rows": _interval_rows(analysis),
        "profile_cut": _profile_cut(analysis.options.confidence),
        "exact_test": analysis.exact_multinomial,
        "exact_text": _pvalue_exact(analysis.exact_multinomial, m),
        "verdict": _verdict(analysis, m),
        "alpha": f"{alpha:.10g}",
        "model_name": _model_name(analysis, m),
        "model_is_fair": analysis.options.model == "fair",
        "model_rows": model_rows
        if analysis.k <= WIDE
        else [
            None if j is None else model_rows[j]
            for j in _visible(analysis.k, analysis.infinite_faces)
        ],
        "infinite": [str(analysis.faces[j]) for j in analysis.infinite_faces],
        "groups": groups,
        "group_faces": [
            None if j is None else {"face": analysis.faces[j], "index": j}
            for j in _visible(analysis.k)
        ],
        "homogeneity": homogeneity,
    }


def context(analysis: Analysis) -> dict[str, Any]:
    """Plain data for the template: every figure of the report, unrounded, plus the messages."""
    from markupsafe import Markup

    options = analysis.options
    m = messages(options.lang)
    log = analysis.log
    faces = analysis.faces
    k = analysis.k
    fitted, fair = analysis.cross_entropy, analysis.reference
    unit_name = m["units"][options.unit]

    frequency = tables.frequency_table(faces, analysis.counts)
    shown_methods = [options.interval] + [x for x in ("exact",) if x != options.interval]
    ivs = analysis.intervals
    mle = tables.mle_table(
        faces,
        analysis.counts,
        analysis.mle,
        {name: (ivs[name].low, ivs[name].high) for name in shown_methods},
    )
    per_face = [
        {
            "face": faces[j],
            "n_k": analysis.counts[j],
            "y": fitted.y[j],
            "minus_log_y": fitted.per_face[j],
            "term": 0.0 if analysis.counts[j] == 0 else analysis.counts[j] * fitted.per_face[j],
        }
        for j in range(k)
    ]

    first = analysis.first[0] if analysis.first else None
    check = None
    if first is not None:
        table = tables.check_table(faces, first.k)
        check = [None if j is None else table.iloc[j].to_dict() for j in _visible(k, (first.k,))]
    shown = analysis.first[:SHOWN_THROWS]
    one_hot = tables.one_hot_table(faces, [throw.k for throw in shown])
    t_columns = tables.one_hot_columns(k)
    throws = [
        {
            "throw": row["throw"],
            "face": row["face"],
            "k": throw.k + 1,
            "t": [row[c] for c in t_columns] if k <= WIDE else [],
            "value": throw.value,
        }
        for row, throw in zip(one_hot.to_dict("records"), shown, strict=True)
    ]

    title = m["meta"]["title"]
    return {
        "lang": options.lang,
        "m": m,
        "title": title,
        "version": __version__,
        "source": log.source,
        "column": log.column,
        "format": log.format,
        "sha256": log.sha256[:SHA_PREFIX],
        "n": analysis.n,
        "k": k,
        "faces": faces,
        "unit": options.unit,
        "unit_name": unit_name,
        "confidence": options.confidence,
        "interval": options.interval,
        "interval_name": m["intervals"][options.interval],
        "shown_methods": shown_methods,
        "wide": k > WIDE,
        "many": k > MANY,
        "frequency": frequency.to_dict("records"),
        "mle": mle.to_dict("records"),
        "per_face": per_face,
        "any_zero": any(c == 0 for c in analysis.counts),
        "log_likelihood": -fitted.total,
        "first": first,
        "first_face": faces[first.k] if first else None,
        "check": check,
        "throws": throws,
        "t_columns": list(range(1, k + 1)) if k <= WIDE else [],
        "more": analysis.n - len(throws) if log.format == "log" else 0,
        "fitted": fitted,
        "fair": fair,
        "entropy": analysis.entropy,
        "kl": analysis.kl_divergence,
        "tests": dict(analysis.tests),
        "eq": {
            name: {"svg": Markup(e.svg), "number": e.number, "latex": e.latex}
            for name, e in _equations(analysis).items()
        },
        "figures": _figures(analysis, m, _plain(unit_name)),
        **_statistics(analysis, m),
        "css": Markup(stylesheet(options.lang)),
        "author": options.author,
        "date": build_date().strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


# ---------------------------------------------------------------- writers


def stylesheet(lang: str) -> str:
    """``report.css`` plus the language's additions (``report.<lang>.css``, e.g. CJK fonts)."""
    folder = templates_dir()
    css = (folder / "report.css").read_text(encoding="utf-8")
    extra = folder / f"report.{lang}.css"
    if extra.is_file():
        css += "\n" + extra.read_text(encoding="utf-8")
    return css


def build_date() -> dt.datetime:
    """When the report was made: ``SOURCE_DATE_EPOCH`` if set (reproducible builds), else now.

    "Now" is taken once per process, so the HTML and the PDF of one run, and
    the reports of one batch, carry the same date.
    """
    return _build_date(os.environ.get("SOURCE_DATE_EPOCH", "").strip())


@functools.cache
def _build_date(epoch: str) -> dt.datetime:
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    return dt.datetime.now(tz=dt.UTC).replace(microsecond=0)


def html(analysis: Analysis) -> str:
    """The report as one self-contained HTML document (inline CSS and SVG, no URLs)."""
    return environment().get_template(TEMPLATE).render(context(analysis))


def _refusing_fetcher() -> Any:
    """A WeasyPrint URL fetcher that fetches only packaged font files (see ``reportgen.fonts``).

    No network, no ``data:`` URLs, no other file: a ``file:`` URL is served
    only when it names a font file inside an installed package's font folder.
    """
    from urllib.parse import unquote, urlsplit

    from weasyprint.urls import URLFetcher, URLFetcherResponse

    from reportgen.fonts import is_packaged_font

    class FontsOnly(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            parts = urlsplit(url)
            if parts.scheme == "file" and not parts.netloc:
                path = Path(unquote(parts.path))
                if is_packaged_font(path):
                    return URLFetcherResponse(url, body=path.read_bytes())
            raise ValueError(f"reportgen renders self-contained reports; refused {url[:80]}")

    return FontsOnly()


def counts_csv(analysis: Analysis) -> bytes:
    """The frequency table ``face,count`` as CSV (what reportgen reads with ``--counts``)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["face", "count"])
    writer.writerows(zip(analysis.faces, analysis.counts, strict=True))
    return out.getvalue().encode("utf-8")


def _input_bytes(analysis: Analysis) -> bytes | None:
    """The input file as read, if it is still there, unchanged and at most ``EMBED_LIMIT``."""
    log = analysis.log
    path = Path(log.source)
    if log.source == "-" or not path.is_file() or path.stat().st_size > EMBED_LIMIT:
        return None
    data = path.read_bytes()
    return data if hashlib.sha256(data).hexdigest() == log.sha256 else None


def attachments(analysis: Analysis) -> list[tuple[str, bytes, str]]:
    """What the PDF carries: (file name, bytes, description) of the input and the results.

    The input is embedded as read when it is a file of at most ``EMBED_LIMIT``
    bytes whose SHA-256 still matches the analysis; otherwise (standard input,
    several files combined, a large or changed file) its frequency table is.
    """
    import re

    from reportgen.results import to_json

    m = messages(analysis.options.lang)["attachments"]
    source = "stdin" if analysis.log.source == "-" else Path(analysis.log.source).name
    data = _input_bytes(analysis)
    if data is not None:
        first = (source, data, _plain(m["input"]))
    else:
        stem = re.sub(r"[^\w-]+", "-", source.split(".")[0]).strip("-") or "input"
        first = (f"{stem}-counts.csv", counts_csv(analysis), _plain(m["counts"]))
    results = to_json(analysis).encode("utf-8")
    return [first, ("results.json", results, _plain(m["results"]))]


def pdf(analysis: Analysis) -> bytes:
    """The report as a PDF/A-3b (A4, tagged, fonts embedded, data attached) by WeasyPrint.

    The title, language, author, subject (description) and dates come from the
    HTML's ``<title>``, ``<html lang>`` and ``<meta>`` elements; tags carry
    each equation's LaTeX as its alternative text. The attachments are dated
    like the report (``build_date``), so the bytes are reproducible.
    """
    from weasyprint import CSS, HTML, Attachment
    from weasyprint.text.fonts import FontConfiguration

    from reportgen.fonts import font_face_css

    fetcher = _refusing_fetcher()
    font_config = FontConfiguration()
    stylesheets = []
    faces = font_face_css(analysis.options.lang)
    if faces:
        stylesheets.append(CSS(string=faces, url_fetcher=fetcher, font_config=font_config))
    when = build_date().replace(tzinfo=None)
    files = [
        Attachment(
            file_obj=io.BytesIO(data),
            name=name,
            description=description,
            created=when,
            modified=when,
            relationship="Source" if name != "results.json" else "Data",
        )
        for name, data, description in attachments(analysis)
    ]
    document = HTML(string=html(analysis), base_url=None, url_fetcher=fetcher)
    return document.write_pdf(
        stylesheets=stylesheets,
        font_config=font_config,
        attachments=files,
        pdf_variant="pdf/a-3b",
        pdf_tags=True,
        finisher=_unique_associated_files,
    )


def _unique_associated_files(document: Any, pdf: Any) -> None:
    """WeasyPrint 70 lists each attachment twice in the catalogue's ``/AF``; keep one of each."""
    import pydyf

    files = pdf.catalog.get("AF")
    if files is not None:
        pdf.catalog["AF"] = pydyf.Array(dict.fromkeys(files))
