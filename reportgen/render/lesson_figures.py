"""The figures that answer the lesson's own questions (issue 24): plain data in, Axes out.

The drawing half of ``render.lesson_plots``, as ``figures`` is of ``plots`` (kept
apart from ``figures``, which is at the house's size limit for one module).
Same rules: matplotlib imported inside, no pyplot, every text an argument,
greys and line styles that read the same printed in black and white.

- ``chance_yardstick``: the G of logs simulated under the model as a histogram,
  the χ² density over it, the observed G and the share beyond it shaded; when
  G takes only a few values (a coin, a few throws: ``few_values``), one bar a
  value, as high as its share of the logs, with the χ² approximation of each
  share as a dot;
- ``cross_entropy_curve``: total cross-entropy as a function of y, its minimum at ŷ,
  the line χ²₁/2 above it and the interval where it crosses the curve.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from reportgen.render.figures import FIGSIZE

if TYPE_CHECKING:
    from matplotlib.axes import Axes


def _new_axes(height: float) -> Axes:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(FIGSIZE[0], height), layout="constrained")
    return figure.add_subplot()


#: Bins of the simulated G histogram across the drawn range.
YARDSTICK_BINS = 40

#: An observed G up to this many times the simulated range's top still widens the axis;
#: farther out it is marked at the edge with an arrow.
OFF_SCALE = 1.6


def yardstick_range(simulated: Sequence[float], df: int, observed: float) -> tuple[float, float]:
    """The G axis: the bulk of the simulated G and of χ²_df, and the observed G if near.

    From 0 (or, when the bulk sits far from 0 as for many faces, from just
    below its 0.1 % point) to beyond its 99.9 % point; an observed G within
    ``OFF_SCALE`` times that top widens it.
    """
    import numpy as np

    from reportgen.analysis.yardstick import chi2_quantile

    values = np.asarray(simulated, dtype=float)
    top = max(float(np.quantile(values, 0.999)), chi2_quantile(df, 0.001)) * 1.05
    bottom = min(float(np.quantile(values, 0.001)), chi2_quantile(df, 0.999))
    low = 0.0 if bottom < 0.3 * top else 0.92 * bottom
    top = max(top, 1e-9)
    if math.isfinite(observed) and top < observed <= OFF_SCALE * top:
        top = observed * 1.08
    return low, top


#: Up to this many distinct simulated G in the drawn range (a coin, a few throws), each
#: gets a bar of its own reaching halfway to its neighbours, so no bar merges two values.
DISTINCT_BARS = 60


def _bin_edges(low: float, high: float, threshold: float) -> list[float]:
    """Equal bins over [low, high] with one edge exactly at ``threshold`` when it is inside."""
    width = (high - low) / YARDSTICK_BINS
    if not low < threshold < high:
        return [low + width * i for i in range(YARDSTICK_BINS + 1)]
    below = math.ceil((threshold - low) / width - 1e-9)
    above = math.ceil((high - threshold) / width - 1e-9)
    return [threshold - width * i for i in range(below, 0, -1)] + [
        threshold + width * i for i in range(above + 1)
    ]


def _histogram(
    simulated: Sequence[float], low: float, high: float, threshold: float
) -> tuple[list[float], list[float], list[bool]]:
    """Bin edges, densities (share of all draws per unit of G) and which bins lie beyond.

    Few distinct values (a coin): one bar per value, from halfway to the value
    below to halfway to the value above, beyond when its value is ≥ ``threshold``.
    Otherwise ``YARDSTICK_BINS`` equal bins with an edge at ``threshold``.
    The bars beyond hold exactly the simulated share ≥ the observed G.
    """
    import numpy as np

    values = np.asarray(simulated, dtype=float)
    shown = values[(values >= low) & (values <= high)]
    distinct, counts = np.unique(np.round(shown, 9), return_counts=True)
    if 2 <= distinct.size <= DISTINCT_BARS:
        middles = (distinct[1:] + distinct[:-1]) / 2
        first = max(low, distinct[0] - (middles[0] - distinct[0]))
        last = min(high, distinct[-1] + (distinct[-1] - middles[-1]))
        edges = [first, *middles.tolist(), last]
        beyond = (distinct >= threshold).tolist()
    else:
        edges = _bin_edges(low, high, threshold)
        counts, _ = np.histogram(values, bins=edges)
        beyond = [left >= threshold for left in edges[:-1]]
    heights = (counts / (values.size * np.diff(edges))).tolist()
    return edges, heights, beyond


def _off_scale(ax: Axes, label: str, towards: str, at: float = 0.5) -> None:
    """A value beyond the axes: its label with an arrow to the ``right`` or ``left`` edge,
    or ``up`` to the top edge at ``at`` (a fraction of the axes' width)."""
    if towards == "up":
        left = at < 0.5
        tip, text = (at, 1.0), (at + (0.03 if left else -0.03), 0.74)
        ha = "left" if left else "right"
    else:
        right = towards == "right"
        tip, text = ((1.0, 0.5), (0.97, 0.62)) if right else ((0.0, 0.5), (0.03, 0.62))
        ha = "right" if right else "left"
    ax.annotate(
        label, xy=tip, xycoords="axes fraction", xytext=text, textcoords="axes fraction",
        ha=ha, va="bottom", fontsize="small",
        arrowprops={"arrowstyle": "-|>", "color": "black", "lw": 1.2},
        bbox={"boxstyle": "round,pad=0.25", "facecolor": "white", "edgecolor": "0.6"},
        zorder=6,
    )  # fmt: skip


def chance_yardstick(
    simulated: Sequence[float],
    observed: float,
    df: int,
    *,
    xlabel: str,
    ylabel: str,
    simulated_label: str,
    beyond_label: str,
    density_label: str,
    observed_label: str,
    share_label: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """How G = 2N·KL is spread when the model is true, with the observed G and the share beyond.

    Parameters
    ----------
    simulated : sequence of float
        G of logs simulated under the model (``analysis.yardstick.Yardstick.simulated``),
        drawn as a histogram scaled to a density.
    observed : float
        The log's G; the bars at and beyond it are dark and hatched (their area
        is the simulated share, the p-value seen). ∞, or a value far beyond the
        simulated ones, is marked at the right edge with an arrow and its label.
    df : int
        Degrees of freedom of the χ² density drawn over the histogram (none for 0).
    xlabel, ylabel, simulated_label, beyond_label, density_label, observed_label : str
        Axis labels and legend entries, in the report's language; the observed
        label also marks an observed G off the axis.
    share_label : str, optional
        A short note (e.g. the share itself) pointing at the hatched bars, so a
        thin tail still shows where the p-value is.
    ax : Axes, optional
        Where to draw; a new figure when omitted.
    """
    from reportgen.analysis.yardstick import RELATIVE_TIE

    ax = _new_axes(1.8) if ax is None else ax
    labels = (simulated_label, beyond_label, density_label, observed_label)
    if few_values(simulated):
        _value_shares(ax, simulated, observed, df, labels, share_label)
        _finish(ax, ax.get_xlim(), ax.get_ylim(), xlabel, ylabel)
        return ax
    low, high = yardstick_range(simulated, df, observed)
    threshold = observed * (1 - RELATIVE_TIE) if math.isfinite(observed) else math.inf
    edges, heights, beyond = _histogram(simulated, low, high, threshold)
    _bars(ax, edges, heights, beyond, (simulated_label, beyond_label))
    top = max(max(heights, default=0.0), _density(ax, df, (low, high), density_label))
    if math.isfinite(observed) and low <= observed <= high:
        ax.axvline(observed, color="black", linestyle="--", linewidth=1.5,
                   label=observed_label, zorder=5)  # fmt: skip
    else:
        _off_scale(ax, observed_label, "left" if observed < low else "right")
    _finish(ax, (low, high), (0, (top or 1.0) * HEADROOM), xlabel, ylabel)
    if share_label and any(beyond):
        first = beyond.index(True)
        _note(ax, share_label, ((edges[first] + edges[first + 1]) / 2, heights[first] / 2))
    ax.grid(axis="y", color="0.88", linewidth=0.6, zorder=0)
    return ax


#: At most this many distinct simulated G are drawn one bar a value, as shares.
FEW_VALUES = 30

#: The y axis reaches this many times the highest bar: the top third stays free for the
#: note on the share beyond, which no bar can then reach.
HEADROOM = 1.5


def few_values(simulated: Sequence[float]) -> bool:
    """Whether the simulated G take at most ``FEW_VALUES`` distinct values (a coin, a few
    throws): then each value's share is drawn, not a density, which such G do not have."""
    import numpy as np

    distinct = np.unique(np.round(np.asarray(simulated, dtype=float), 9))
    return 2 <= distinct.size <= FEW_VALUES


def _value_shares(
    ax: Axes,
    simulated: Sequence[float],
    observed: float,
    df: int,
    labels: tuple[str, str, str, str],
    share_label: str | None,
) -> None:
    """One bar a value of G, as high as its share of the simulated logs, dark from the
    observed G on; a dot a bar for the share χ²_df gives the values nearest it; limits set."""
    import numpy as np

    from reportgen.analysis.yardstick import RELATIVE_TIE, chi2_shares

    values, counts = np.unique(np.round(np.asarray(simulated, dtype=float), 9), return_counts=True)
    shares = counts / counts.sum()
    tail = np.cumsum(shares[::-1])[::-1]  # share at or beyond each value
    high = float(values[max(int(np.searchsorted(-tail, -0.005)) - 1, 1)])
    if math.isfinite(observed) and high < observed <= OFF_SCALE * high:
        high = observed
    pad = 0.06 * high + high / 25
    shown = values <= high + pad  # every value inside the axes
    # One width for every bar: 70 % of the closest two values shown, at most high/25.
    closest = float(np.diff(values[shown]).min()) if shown.sum() > 1 else high
    width = min(0.7 * closest, high / 25)
    threshold = observed * (1 - RELATIVE_TIE) if math.isfinite(observed) else math.inf
    beyond = values >= threshold
    for part, style, label in ((~beyond, _SIMULATED, labels[0]), (beyond, _BEYOND, labels[1])):
        picked = part & shown
        ax.bar(values[picked], shares[picked], width=width, **{**style, "hatch": None})
        ax.add_patch(_legend_patch(label, {**style, "hatch": None}))
    if df > 0:
        middles = (values[1:] + values[:-1]) / 2
        approx = chi2_shares(df, [0.0, *middles, math.inf])
        ax.plot(values[shown], approx[shown], linestyle="none", marker="o", markersize=4,
                markerfacecolor="white", markeredgecolor="black", label=labels[2],
                zorder=4)  # fmt: skip
    ax.set_xlim(-pad, high + pad)
    if math.isfinite(observed) and observed <= high + pad:
        ax.axvline(observed, color="black", linestyle="--", linewidth=1.5,
                   label=labels[3], zorder=5)  # fmt: skip
    else:
        _off_scale(ax, labels[3], "right")
    top = max(float(shares[shown].max()), float(approx[shown].max()) if df > 0 else 0.0)
    ax.set_ylim(0, top * HEADROOM)
    if share_label and bool((beyond & shown).any()):
        first = int(np.argmax(beyond & shown))
        _note(ax, share_label, (float(values[first]), float(shares[first]) / 2))
    ax.grid(axis="y", color="0.88", linewidth=0.6, zorder=0)


def _legend_patch(label: str, style: dict[str, Any]) -> Any:
    from matplotlib.patches import Rectangle

    return Rectangle((0, 0), 0, 0, label=label, **style)


def _bars(
    ax: Axes,
    edges: Sequence[float],
    heights: Sequence[float],
    beyond: Sequence[bool],
    labels: tuple[str, str],
) -> None:
    """The histogram: bars below the observed G light, at and beyond it dark and hatched,
    each kind with its legend entry (also when it has no bar)."""
    widths = [b - a for a, b in zip(edges, edges[1:], strict=False)]
    for part, style, label in ((False, _SIMULATED, labels[0]), (True, _BEYOND, labels[1])):
        picked = [i for i, b in enumerate(beyond) if b is part]
        ax.bar([edges[i] for i in picked], [heights[i] for i in picked],
               width=[widths[i] for i in picked], align="edge", **style)  # fmt: skip
        ax.add_patch(_legend_patch(label, style))  # its legend entry


def _note(ax: Axes, label: str, tip: tuple[float, float]) -> None:
    """``label`` in a box in the axes' top right corner, above every bar (``HEADROOM``),
    with an arrow to the data point ``tip``."""
    ax.annotate(
        label, xy=tip, xycoords="data", xytext=(0.98, 0.95),
        textcoords="axes fraction", ha="right", va="top",
        fontsize="small", arrowprops={"arrowstyle": "-|>", "color": "black", "lw": 1.0},
        bbox={"boxstyle": "round,pad=0.25", "facecolor": "white", "edgecolor": "0.6"},
        zorder=6,
    )  # fmt: skip


def _density(ax: Axes, df: int, span: tuple[float, float], label: str) -> float:
    """The χ²_df density over ``span`` (none for df = 0); returns its height to show.

    Near 0 the density of df = 1 grows without bound: the height returned leaves
    out the first 3 % of the axis, and the curve is clipped there.
    """
    import numpy as np

    from reportgen.analysis.yardstick import chi2_density

    if df <= 0:
        return 0.0
    low, high = span
    grid = np.linspace(max(low, high * 1e-4), high, 400)
    density = chi2_density(df, grid)
    ax.plot(grid, density, color="black", linewidth=1.4, label=label, zorder=4)
    return float(density[grid > low + (high - low) * 0.03].max(initial=0.0))


def _finish(
    ax: Axes, xlim: tuple[float, float], ylim: tuple[float, float], xlabel: str, ylabel: str
) -> None:
    """Limits, axis labels, and the legend in two columns above the plot."""
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_axisbelow(True)
    ax.legend(frameon=False, fontsize="small", loc="lower left", bbox_to_anchor=(0.0, 1.0),
              ncols=2, borderaxespad=0.2)  # fmt: skip


#: The simulated G's bars, and those at or beyond the observed G (dark and hatched).
_SIMULATED = {"facecolor": "0.86", "edgecolor": "0.55", "linewidth": 0.4, "zorder": 2}
_BEYOND = {"facecolor": "0.45", "edgecolor": "0.15", "hatch": "////", "linewidth": 0.4, "zorder": 2}


def cross_entropy_curve(
    points: Sequence[tuple[float, float]],
    mle: float,
    minimum: float,
    cut: float,
    interval: tuple[float, float],
    *,
    model: tuple[float, float] | None = None,
    xlabel: str,
    ylabel: str,
    minimum_label: str,
    cut_label: str,
    interval_label: str,
    model_label: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """The total cross-entropy C(y) with its minimum at ŷ, the cut line and the interval it marks.

    Parameters
    ----------
    points : sequence of (y, C(y))
        The curve (``analysis.curve.CrossEntropyCurve.points``).
    mle, minimum : float
        ŷ and C(ŷ): a dot, with a dashed drop to the y axis.
    cut : float
        Height of the dotted line above the minimum (χ²₁(level)/2 in the unit).
    interval : (low, high)
        Where the line crosses the curve: drawn as a bar on the y axis (the
        horizontal axis) and a light band up to the line.
    model : (y, C(y)), optional
        The model's value of this y and the curve's height there: a cross on
        the curve with a dash-dot drop; off the drawn range (or C = ∞) it is
        marked at the nearer edge with an arrow and ``model_label``.
    xlabel, ylabel, minimum_label, cut_label, interval_label, model_label : str
        Axis labels and legend entries, in the report's language.
    ax : Axes, optional
        Where to draw; a new figure when omitted.
    """
    ax = _new_axes(1.7) if ax is None else ax
    ys, cs = [p[0] for p in points], [p[1] for p in points]
    left, right = min(ys), max(ys)
    line = minimum + cut
    floor = minimum - 0.55 * cut
    ceiling = max(c for c in cs if math.isfinite(c))
    ax.plot(ys, cs, color="black", linewidth=1.5, zorder=3)
    ax.axhline(line, color="0.2", linestyle=":", linewidth=1.2, label=cut_label, zorder=2)
    _interval_marks(ax, interval, floor, line, interval_label)
    ax.plot([mle, mle], [floor, minimum], color="black", linestyle="--", linewidth=0.9, zorder=2)
    ax.plot([mle], [minimum], marker="o", markersize=5, color="black", linestyle="none",
            label=minimum_label, zorder=5)  # fmt: skip
    if model is not None:
        _model_mark(ax, model, model_label, (left, right), (floor, ceiling))
    _finish(ax, (left, right), (floor, ceiling + 0.1 * (ceiling - floor)), xlabel, ylabel)
    ax.ticklabel_format(axis="y", useOffset=False, style="plain")
    ax.grid(color="0.9", linewidth=0.5, zorder=0)
    return ax


def _interval_marks(
    ax: Axes, interval: tuple[float, float], floor: float, line: float, label: str
) -> None:
    """The interval as a thick bar along the bottom, a light band and dotted drops from the line."""
    low, high = interval
    ax.fill_between([low, high], floor, line, color="0.9", linewidth=0, zorder=0)
    ax.plot([low, high], [floor, floor], color="black", linewidth=4, solid_capstyle="butt",
            label=label, zorder=4, clip_on=False)  # fmt: skip
    for end in interval:
        ax.plot([end, end], [floor, line], color="0.35", linestyle=":", linewidth=0.9, zorder=2)


def _model_mark(
    ax: Axes,
    model: tuple[float, float],
    label: str | None,
    xs: tuple[float, float],
    heights: tuple[float, float],
) -> None:
    """The model's y on the curve (a cross and a dash-dot drop), or, where the curve there
    lies above the drawn heights (C = ∞ included), an arrow up at the nearest x drawn."""
    y, c = model
    if xs[0] <= y <= xs[1] and c <= heights[1]:
        ax.plot([y, y], [heights[0], c], color="black", linestyle="-.", linewidth=1.0, zorder=2)
        ax.plot([y], [c], marker="X", markersize=7, color="white", markeredgecolor="black",
                linestyle="none", label=label, zorder=6)  # fmt: skip
        return
    at = (min(max(y, xs[0]), xs[1]) - xs[0]) / (xs[1] - xs[0])
    _off_scale(ax, label or "", "up", at)
