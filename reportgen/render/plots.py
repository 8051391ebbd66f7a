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

from markupsafe import Markup

from reportgen.analysis.entropy import terms as terms_per_face
from reportgen.analysis.estimate import profile_cut
from reportgen.printable import clean
from reportgen.render.catalogue import fill as _fill
from reportgen.render.catalogue import messages
from reportgen.render.catalogue import plain as _plain
from reportgen.render.numbers import fmt_count, fmt_percent

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from reportgen.analysis import Analysis
    from reportgen.options import RenderOptions

#: Points on each profile log-likelihood curve.
PROFILE_POINTS = 201


_Plot = TypeVar("_Plot", bound=Callable[..., Any])


def _in_language(draw: _Plot) -> _Plot:
    """Draw with a font that has the glyphs of the labels' language (``render.fonts``)."""

    @functools.wraps(draw)
    def wrapper(analysis: Analysis, *args: Any, **kwargs: Any) -> Any:
        from reportgen.render.fonts import matplotlib_context

        lang = kwargs.get("lang") or (args[1] if len(args) > 1 else None)
        with matplotlib_context(lang or "en"):
            return draw(analysis, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


def _text(analysis: Analysis, lang: str | None) -> tuple[dict[str, Any], dict[str, Any], str]:
    m = messages(lang or "en", coin=analysis.k == 2)
    return m, m["figures"], _plain(m["units"][analysis.options.unit])


#: Up to this many faces a legend lists the ``--model`` probabilities (the caption always does).
LEGEND_PROBABILITIES = 6


def _fair_coin(analysis: Analysis) -> bool:
    return analysis.options.model.fair and analysis.k == 2


def model_label(analysis: Analysis, text: dict[str, Any]) -> str:
    """The reference model in a legend: the fair die (or coin), or the ``--model`` probabilities."""
    if analysis.options.model.fair:
        key = "legend_coin" if analysis.k == 2 else "legend_fair"
        return _plain(_fill(text[key], k=fmt_count(analysis.k)))
    if analysis.k > LEGEND_PROBABILITIES:
        return _plain(text["legend_given_many"])
    from reportgen.render.lesson_plots import probability

    shown = ", ".join(probability(y_k) for y_k in analysis.reference.y)
    return _plain(_fill(text["legend_given"], y=shown))


@_in_language
def running_mean(
    analysis: Analysis, ax: Axes | None = None, lang: str | None = None
) -> Axes | None:
    """Mean cross-entropy (4.3) of throws 1..m under the model, and their frequencies' entropy.

    Both are exact at every checkpoint: the mean under the model y from the
    cumulative counts (``Analysis.running_mean(y)``), and H(p̂_m), the mean
    under the first m throws' own maximum-likelihood estimate, from the same
    counts. None for a frequency table (no throw order to follow).
    """
    from reportgen.analysis.entropy import running_entropy
    from reportgen.render import figures

    checkpoints = analysis.log.checkpoints
    if len(checkpoints) < 2:
        return None
    _, text, unit = _text(analysis, lang)
    log_axis = figures.log_throws_axis(analysis.n)
    return figures.running_mean(
        analysis.running_mean(analysis.reference.y),
        running_entropy(checkpoints, analysis.options.unit),
        xlabel=_plain(text["running_x_log" if log_axis else "running_x"]),
        ylabel=_plain(_fill(text["running_y"], unit=unit)),
        model_label=_plain(_fill(text["running_model"], model=model_label(analysis, text))),
        entropy_label=_plain(text["running_entropy"]),
        gap_label=_plain(text["running_gap"]),
        ax=ax,
    )


@_in_language
def frequencies(
    analysis: Analysis,
    ax: Axes | None = None,
    lang: str | None = None,
    interval: str = "wilson",
) -> Axes:
    """Observed frequencies n_k / N with an interval (``interval``) as bars and the model's y_k."""
    from reportgen.render import figures

    m, text, _ = _text(analysis, lang)
    bounds = analysis.intervals[interval]
    level = fmt_percent(analysis.options.confidence)
    method = _plain(m["intervals"][interval])
    return figures.frequency_bars(
        analysis.faces,
        analysis.mle,
        bounds.low,
        bounds.high,
        reference=analysis.reference.y,
        xlabel=_plain(text["bars_x"]),
        ylabel=_plain(text["bars_y"]),
        interval_label=_plain(_fill(text["bars_interval"], level=level, method=method)),
        reference_label=model_label(analysis, text),
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
    return figures.model_bars(
        analysis.faces,
        [
            (
                _plain(text["model_mle"]),
                terms_per_face(analysis.counts, analysis.cross_entropy.per_face),
            ),
            (
                model_label(analysis, text),
                terms_per_face(analysis.counts, analysis.reference.per_face),
            ),
        ],
        xlabel=_plain(text["bars_x"]),
        ylabel=_plain(_fill(text["model_y"], unit=unit)),
        infinite_label="\u221e",
        ax=ax,
    )


@_in_language
def groups(
    analysis: Analysis,
    ax: Axes | None = None,
    lang: str | None = None,
    interval: str = "wilson",
) -> Axes | None:
    """The dice of ``--by``: frequencies with interval bars side by side, or past
    ``layout.GROUP_BARS`` dice a dot plot, a panel a face; None without groups."""
    from reportgen.render import figures, group_figures
    from reportgen.render.layout import GROUP_BARS, visible

    if not analysis.groups:
        return None
    _, text, _ = _text(analysis, lang)
    dice = [
        (clean(str(name)), g.mle, g.intervals[interval].low, g.intervals[interval].high)
        for name, g in analysis.groups.items()
    ]
    if len(dice) > GROUP_BARS:
        panels = [  # a d20's ends, as the table shows them
            (j, _plain(_fill(text["profile_panel"], face=analysis.faces[j])))
            for j in visible(analysis.k) if j is not None
        ]  # fmt: skip
        return group_figures.group_dots(
            panels, dice, analysis.mle, reference=analysis.reference.y,
            xlabel=_plain(text["bars_y"]),
            labels=(_plain(text["groups_die"]), _plain(text["groups_pooled"]),
                    model_label(analysis, text)), ax=ax,
        )  # fmt: skip
    return figures.group_bars(
        analysis.faces,
        dice,
        reference=analysis.reference.y,
        xlabel=_plain(text["bars_x"]),
        ylabel=_plain(text["bars_y"]),
        ax=ax,
    )


@_in_language
def yardstick(analysis: Analysis, ax: Axes | None = None, lang: str | None = None) -> Axes | None:
    """How large G = 2N·KL would be by chance under the model, with these throws' G marked.

    The G of logs of N throws simulated under the model (seeded with
    ``--seed``), the χ²_{K−1} density, the observed G and the share of
    simulated G at least as large: the p-value, seen. None when G is
    infinite (a face the model forbids came up).
    """
    import math

    from reportgen.render import lesson_plots

    if not math.isfinite(analysis.tests["g_test"].statistic):
        return None
    m, text, _ = _text(analysis, lang)
    seed, thousands = analysis.options.seed, m["numbers"]["thousands"]
    return lesson_plots.yardstick(analysis, text, seed=seed, ax=ax, thousands=thousands)


@_in_language
def curve(
    analysis: Analysis, ax: Axes | None = None, lang: str | None = None, face: int | None = None
) -> Axes:
    """Total cross-entropy (4.3) along one face's profile, smallest at ŷ, with the profile interval.

    ``face`` is the face index k; by default the face the model fits worst
    (``analysis.curve.followed_face``). A coin's curve runs over y ∈ (0, 1).
    """
    from reportgen.render import lesson_plots

    _, text, unit = _text(analysis, lang)
    name = _plain(text["curve_fair" if analysis.options.model.fair else "curve_given"])
    return lesson_plots.curve(analysis, text, unit_name=unit, model_name=name, k=face, ax=ax)


#: Every figure of the report, by name, in the order the report shows them.
FIGURES: dict[str, Callable[..., Axes | None]] = {
    "running": running_mean,
    "curve": curve,
    "bars": frequencies,
    "yardstick": yardstick,
    "profile": profiles,
    "model": models,
    "groups": groups,
}


#: The figures the report shows, in order. The model bars re-plot Table 4's last two
#: columns and the profile panels the appendix's profile intervals; both stay public
#: plots (``reportgen.plots.models``, ``reportgen.plots.profiles``), out of the handout.
REPORT_FIGURES = ("groups", "running", "curve", "bars", "yardstick")


@dataclass(frozen=True)
class Figure:
    """One figure of the report: its ``<img>``, its caption and its number (order of appearance)."""

    svg: Markup
    caption: Markup
    number: int


def report_figures(
    analysis: Analysis,
    render: RenderOptions,
    m: dict[str, Any],
    unit_name: str,
    names: Sequence[str] = REPORT_FIGURES,
    first_number: int = 1,
) -> dict[str, Figure]:
    """The plots as inline SVG with their numbered captions, by name, in order of appearance."""
    from reportgen.render import svg
    from reportgen.render.captions import CAPTIONS, Words

    made: dict[str, Figure] = {}
    for name in names:
        options: dict[str, Any] = {"lang": render.lang}
        if name in _SHOWING_AN_INTERVAL:
            options["interval"] = render.interval
        ax = FIGURES[name](analysis, **options)
        if ax is None:  # e.g. no running mean for a frequency table, no groups without --by
            continue
        caption = CAPTIONS[name](Words(analysis, render, m, unit_name))
        alt = _plain(caption)
        drawing = svg.to_svg(ax.figure, title=alt, id_prefix=f"fig-{name}")
        image = svg.img(drawing, alt, "figure")  # an image: WeasyPrint never cascades its elements
        # Numbered in order of appearance: the running mean (section 6) comes before the bars (7).
        made[name] = Figure(Markup(image), caption, first_number + len(made))
    return made


#: The figures that draw an interval (the one the pages show, ``--interval``).
_SHOWING_AN_INTERVAL = ("bars", "groups")


__all__ = [
    "FIGURES",
    "Figure",
    "curve",
    "frequencies",
    "groups",
    "model_label",
    "models",
    "profiles",
    "report_figures",
    "running_mean",
    "yardstick",
]
