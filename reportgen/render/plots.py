"""The report's figures for one ``Analysis``, labelled in its language.

Each function takes the analysis and ``ax=None`` and returns the Axes it drew
on (or ``None`` where the figure does not apply, e.g. groups without ``--by``),
so a teacher can put one figure on a slide::

    ax = reportgen.plots.frequencies(reportgen.analyse("data/rolls.csv"))
    ax.figure.savefig("bars.png")

The drawing itself is in ``figures`` (plain data in, Axes out); this module
only picks the analysis's numbers and the catalogue's words, and
``report_figures`` turns every figure into the report's captioned SVG.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from reportgen.analysis.entropy import terms as terms_per_face
from reportgen.analysis.estimate import profile_cut
from reportgen.printable import clean
from reportgen.render.catalogue import fill as _fill
from reportgen.render.catalogue import messages
from reportgen.render.catalogue import plain as _plain
from reportgen.render.format import fmt_count, fmt_percent

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from reportgen.analysis import Analysis

#: Points on each profile log-likelihood curve.
PROFILE_POINTS = 201


_Plot = TypeVar("_Plot", bound=Callable[..., Any])


def _in_language(draw: _Plot) -> _Plot:
    """Draw with a font that has the glyphs of the labels' language (``render.fonts``)."""

    @functools.wraps(draw)
    def wrapper(analysis: Analysis, *args: Any, **kwargs: Any) -> Any:
        from reportgen.render.fonts import matplotlib_context

        lang = kwargs.get("lang") or (args[1] if len(args) > 1 else None)
        with matplotlib_context(lang or analysis.options.lang):
            return draw(analysis, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


def _text(analysis: Analysis, lang: str | None) -> tuple[dict[str, Any], dict[str, Any], str]:
    m = messages(lang or analysis.options.lang)
    return m, m["figures"], _plain(m["units"][analysis.options.unit])


@_in_language
def running_mean(
    analysis: Analysis, ax: Axes | None = None, lang: str | None = None
) -> Axes | None:
    """Mean cross-entropy (4.3) of throws 1..m nearing the entropy; None for a frequency table."""
    from reportgen.render import figures

    points = analysis.running_mean()
    if len(points) < 2:  # a frequency table has no throw order to follow
        return None
    _, text, unit = _text(analysis, lang)
    return figures.running_mean(
        points,
        analysis.entropy,
        analysis.reference.mean,
        xlabel=_plain(text["running_x"]),
        ylabel=_plain(_fill(text["running_y"], unit=unit)),
        mean_label=_plain(text["running_mean"]),
        entropy_label=_plain(text["running_entropy"]),
        fair_label=_plain(text["running_fair"]),
        ax=ax,
    )


@_in_language
def frequencies(analysis: Analysis, ax: Axes | None = None, lang: str | None = None) -> Axes:
    """Observed frequencies n_k / N with the report's interval as bars and the fair 1/K line."""
    from reportgen.render import figures

    m, text, _ = _text(analysis, lang)
    interval = analysis.intervals[analysis.options.interval]
    level = fmt_percent(analysis.options.confidence)
    method = _plain(m["intervals"][analysis.options.interval])
    return figures.frequency_bars(
        analysis.faces,
        analysis.mle,
        interval.low,
        interval.high,
        xlabel=_plain(text["bars_x"]),
        ylabel=_plain(text["bars_y"]),
        interval_label=_plain(_fill(text["bars_interval"], level=level, method=method)),
        fair_label=_plain(_fill(text["bars_fair"], k=analysis.k)),
        ax=ax,
    )


def profile_selection(k: int) -> list[int]:
    """Faces that get a profile panel: all up to MAX_PANELS, else MAX_PANELS evenly spread."""
    from reportgen.render.figures import MAX_PANELS

    if k <= MAX_PANELS:
        return list(range(k))
    return sorted({round(i * (k - 1) / (MAX_PANELS - 1)) for i in range(MAX_PANELS)})


@_in_language
def profiles(
    analysis: Analysis,
    ax: Axes | None = None,
    lang: str | None = None,
    faces: Sequence[int] | None = None,
) -> Axes:
    """Each face's profile log-likelihood with its maximum and profile interval marked.

    ``faces`` picks the face indices k to draw (all, or an even selection of
    many); on one given Axes only the first of them is drawn.
    """
    from reportgen.render import figures

    _, text, _ = _text(analysis, lang)
    profile = analysis.intervals["profile"]
    panels = [
        (
            _plain(_fill(text["profile_panel"], face=analysis.faces[j])),
            analysis.profile_curve(j, PROFILE_POINTS),
            analysis.mle[j],
            profile.low[j],
            profile.high[j],
        )
        for j in (profile_selection(analysis.k) if faces is None else faces)
    ]
    return figures.profile_panels(
        panels,
        profile_cut(analysis.options.confidence),
        xlabel=_plain(text["profile_x"]),
        ylabel=_plain(text["profile_y"]),
        ax=ax,
    )


@_in_language
def models(analysis: Analysis, ax: Axes | None = None, lang: str | None = None) -> Axes:
    """Each face's contribution to the total cross-entropy under the MLE and under the model."""
    from reportgen.render import figures

    _, text, unit = _text(analysis, lang)
    key = "model_fair" if analysis.options.model == "fair" else "model_given"
    return figures.model_bars(
        analysis.faces,
        [
            (
                _plain(text["model_mle"]),
                terms_per_face(analysis.counts, analysis.cross_entropy.per_face),
            ),
            (
                _plain(_fill(text[key], k=analysis.k)),
                terms_per_face(analysis.counts, analysis.reference.per_face),
            ),
        ],
        xlabel=_plain(text["bars_x"]),
        ylabel=_plain(_fill(text["model_y"], unit=unit)),
        infinite_label="\u221e",
        ax=ax,
    )


@_in_language
def groups(analysis: Analysis, ax: Axes | None = None, lang: str | None = None) -> Axes | None:
    """The dice of ``--by`` side by side: frequencies with interval bars; None without groups."""
    from reportgen.render import figures

    if not analysis.groups:
        return None
    _, text, _ = _text(analysis, lang)
    return figures.group_bars(
        analysis.faces,
        [
            (clean(str(name)), g.mle, g.interval.low, g.interval.high)
            for name, g in analysis.groups.items()
        ],
        xlabel=_plain(text["bars_x"]),
        ylabel=_plain(text["bars_y"]),
        ax=ax,
    )


#: Every figure of the report, by name, in the order the report shows them.
PLOTS: dict[str, Callable[..., Axes | None]] = {
    "running": running_mean,
    "bars": frequencies,
    "profile": profiles,
    "model": models,
    "groups": groups,
}


@dataclass(frozen=True)
class Figure:
    """One figure of the report: inline SVG, its caption and its number (order of appearance)."""

    svg: Any
    caption: Any
    number: int


def report_figures(analysis: Analysis, m: dict[str, Any], unit_name: str) -> dict[str, Figure]:
    """The plots as inline SVG with their numbered captions, by name, in order of appearance."""
    from markupsafe import Markup

    from reportgen.render import figures
    from reportgen.render.wording import model_name

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
            text["model_caption"], unit=unit_name, model=model_name(analysis, m)
        ),
        "groups": lambda: _fill(
            text["groups_caption"], level=level, method=interval_name, k=analysis.k
        ),
    }
    made: dict[str, Figure] = {}
    for name, draw in PLOTS.items():
        ax = draw(analysis)
        if ax is None:  # e.g. no running mean for a frequency table, no groups without --by
            continue
        caption = captions[name]()
        svg = figures.to_svg(ax.figure, title=_plain(caption), id_prefix=f"fig-{name}")
        # Numbered in order of appearance: the running mean (section 6) comes before the bars (7).
        made[name] = Figure(Markup(svg), caption, len(made) + 1)
    return made


def _profile_caption(analysis: Analysis, text: dict[str, Any]) -> Any:
    caption = _fill(text["profile_caption"], level=fmt_percent(analysis.options.confidence))
    shown = len(profile_selection(analysis.k))
    if shown < analysis.k:
        caption = caption + " " + _fill(text["profile_selection"], shown=shown, k=analysis.k)
    return caption


__all__ = [
    "PLOTS",
    "Figure",
    "frequencies",
    "groups",
    "models",
    "profiles",
    "report_figures",
    "running_mean",
]
