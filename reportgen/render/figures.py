"""The report's plots: one function per plot, ``ax=None`` in, Axes out.

matplotlib is imported inside the functions, so a JSON-only run never pays for
it, and no function touches pyplot, switches backends or calls ``show()``: a
plot without ``ax`` draws on a fresh ``matplotlib.figure.Figure``. Every piece
of text on a plot arrives as an argument (from the message catalogue).
Colours are greys and line styles, so the plots read the same printed in black
and white.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.axes import Axes

#: Figure size in inches (width, height) that fits the A4 text column.
FIGSIZE = (6.3, 1.8)

RUNNING_FIGSIZE = (6.3, 1.65)  #: the running mean's: two lines and a band read well lower

#: Bars with more faces than this lose some tick labels to stay readable.
MAX_TICK_LABELS = 30


def _new_axes(figsize: tuple[float, float] = FIGSIZE) -> Axes:
    from matplotlib.figure import Figure

    figure = Figure(figsize=figsize, layout="constrained")
    return figure.add_subplot()


def _legend_above(ax: Axes) -> None:
    """The legend in one row above the plot, where it never hides data."""
    ax.legend(
        frameon=False,
        fontsize="small",
        loc="lower left",
        bbox_to_anchor=(0.0, 1.0),
        ncols=3,
        borderaxespad=0.2,
    )


#: Fill patterns that tell groups (or models) apart in black and white.
HATCHES = ("", "////", "....", "\\\\\\\\", "xxx", "---")
GREYS = ("0.55", "0.85", "0.35", "0.7", "0.95", "0.45")


#: Above this many faces a figure draws all its bars (interval bars, dashes) as one path each:
#: an SVG element per bar would make a d1000's PDF cost thousands of drawing nodes a figure.
ONE_PATH = 40


def _bar_chart(
    ax: Axes, x: Sequence[float], heights: Sequence[float], width: float, **style
) -> None:  # type: ignore[no-untyped-def]
    """``ax.bar``, or past ``ONE_PATH`` bars the same rectangles as one compound path."""
    if len(x) <= ONE_PATH:
        ax.bar(x, heights, width=width, **style)
        return
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path

    vertices, codes = [], []
    for left, height in zip((v - width / 2 for v in x), heights, strict=True):
        vertices += [(left, 0), (left + width, 0), (left + width, height), (left, height), (0, 0)]
        codes += [Path.MOVETO, Path.LINETO, Path.LINETO, Path.LINETO, Path.CLOSEPOLY]
    style["facecolor"] = style.pop("color")
    ax.add_patch(PathPatch(Path(vertices, codes), **style))
    ax.update_datalim([(min(x) - width / 2, 0), (max(x) + width / 2, max(heights, default=0))])


def _segments(
    ax: Axes, lines: Sequence[tuple[tuple[float, float], tuple[float, float]]], **style
) -> None:  # type: ignore[no-untyped-def]
    """Straight segments ((x0, y0), (x1, y1)) as one unfilled compound path.

    The legend shows a line, as it does for ``errorbar`` and ``hlines``.
    """
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path

    label = style.pop("label", None)
    vertices = [point for line in lines for point in line]
    codes = [Path.MOVETO, Path.LINETO] * len(lines)
    ax.add_patch(PathPatch(Path(vertices, codes), fill=False, capstyle="butt", **style))
    if label is not None:
        ax.plot([], [], color=style["edgecolor"], linewidth=style["linewidth"],
                linestyle=style.get("linestyle", "-"), label=label)  # fmt: skip


def _interval_bars(
    ax: Axes, x: Sequence[float], frequency: Sequence[float], low: Sequence[float],
    high: Sequence[float], *, linewidth: float, capsize: float, label: str | None = None,
) -> None:  # fmt: skip
    """Each interval as a vertical line (``errorbar``), past ``ONE_PATH`` as one path."""
    below = [max(0.0, f - lo) for f, lo in zip(frequency, low, strict=True)]
    above = [max(0.0, hi - f) for f, hi in zip(frequency, high, strict=True)]
    if len(x) <= ONE_PATH:
        ax.errorbar(
            x, frequency, yerr=[below, above], fmt="none", ecolor="black",
            elinewidth=linewidth, capsize=capsize, label=label, zorder=3,
        )  # fmt: skip
        return
    lines = [
        ((v, f - b), (v, f + a)) for v, f, b, a in zip(x, frequency, below, above, strict=True)
    ]
    _segments(ax, lines, edgecolor="black", linewidth=linewidth, zorder=3)
    if label is not None:  # the legend entry errorbar gives, in the same place (containers last)
        ax.errorbar([], [], yerr=[[], []], fmt="none", ecolor="black", elinewidth=linewidth,
                    label=label)  # fmt: skip


def _bars(ax: Axes, i: int, series: int, heights: Sequence[float], label: str) -> list[float]:
    """Bar ``i`` of ``series`` side by side in each face's slot; returns their x positions."""
    width = 0.8 / max(1, series)
    x = [j - 0.4 + width * (i + 0.5) for j in range(len(heights))]
    _bar_chart(
        ax,
        x,
        heights,
        width,
        color=GREYS[i % len(GREYS)],
        hatch=HATCHES[i % len(HATCHES)],
        edgecolor="0.2",
        linewidth=0.6,
        label=label,
        zorder=2,
    )
    return x


def _face_axis(ax: Axes, faces: Sequence[int | str], top: float, xlabel: str, ylabel: str) -> None:
    """Faces along x (thinned past MAX_TICK_LABELS), y from 0 to ``top``, grid and legend."""
    k = len(faces)
    step = max(1, math.ceil(k / MAX_TICK_LABELS))
    ax.set_xticks(list(range(k))[::step], [str(face) for face in faces][::step])
    ax.set_xlim(-0.6, k - 0.4)
    ax.set_ylim(0, top)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(axis="y", color="0.88", linewidth=0.6, zorder=0)
    ax.set_axisbelow(True)
    _legend_above(ax)


def _reference_marks(ax: Axes, y: Sequence[float], label: str | None, linewidth: float) -> None:
    """The model's y_k as a dashed line: one across the plot if all are equal, else one per face."""
    style = {"color": "black", "linestyle": "--", "linewidth": linewidth, "zorder": 4}
    if max(y) - min(y) <= 1e-12 * max(y):
        ax.axhline(y[0], label=label, **style)
    elif len(y) > ONE_PATH:
        lines = [((j - 0.45, v), (j + 0.45, v)) for j, v in enumerate(y)]
        style["edgecolor"] = style.pop("color")
        _segments(ax, lines, label=label, **style)
    else:
        ax.hlines(
            y,
            [j - 0.45 for j in range(len(y))],
            [j + 0.45 for j in range(len(y))],
            label=label,
            **style,
        )


def frequency_bars(
    faces: Sequence[int | str],
    frequency: Sequence[float],
    low: Sequence[float],
    high: Sequence[float],
    *,
    reference: Sequence[float],
    xlabel: str,
    ylabel: str,
    interval_label: str,
    reference_label: str,
    ax: Axes | None = None,
) -> Axes:
    """Bar chart of the observed frequencies n_k / N with interval bars and the model's y_k.

    Parameters
    ----------
    faces : sequence
        Face labels, one bar each.
    frequency, low, high : sequence of float
        n_k / N and the bounds of its interval, per face.
    reference : sequence of float
        The model's y_k, drawn dashed: one line for the fair die's 1/K, a
        dash over each bar otherwise.
    xlabel, ylabel, interval_label, reference_label : str
        Axis labels and legend entries, in the report's language.
    ax : Axes, optional
        Where to draw; a new figure when omitted.
    """
    ax = _new_axes() if ax is None else ax
    k = len(faces)
    x = list(range(k))
    _bar_chart(ax, x, frequency, 0.7, color="0.72", edgecolor="0.25", linewidth=0.6, zorder=2)
    _interval_bars(
        ax, x, frequency, low, high, linewidth=1.0, capsize=3 if k <= 40 else 0,
        label=interval_label,
    )  # fmt: skip
    _reference_marks(ax, reference, reference_label, 1.0)
    _face_axis(ax, faces, min(1.0, max(*high, *reference) * 1.15), xlabel, ylabel)
    return ax


#: Up to this many throws the running-mean figure has a linear m axis, past it a log one.
LINEAR_THROWS = 100


def log_throws_axis(n: int) -> bool:
    """Does the running-mean figure of ``n`` throws use a log m axis?"""
    return n > LINEAR_THROWS


def running_mean(
    model: Sequence[tuple[int, float]],
    entropy: Sequence[tuple[int, float]],
    *,
    xlabel: str,
    ylabel: str,
    model_label: str,
    entropy_label: str,
    gap_label: str,
    ax: Axes | None = None,
) -> Axes:
    """Mean cross-entropy (4.3) of throws 1..m under a model, above their frequencies' entropy.

    The gap between the two curves is the KL divergence of the first m throws'
    frequencies from the model (shaded). The m axis is linear up to
    ``LINEAR_THROWS`` throws and logarithmic past them.

    Parameters
    ----------
    model : sequence of (m, mean)
        Mean cross-entropy of throws 1..m under the model at checkpoints m,
        e.g. ``Analysis.running_mean(analysis.reference.y)``; ∞ (a face the
        model gives probability 0) breaks the curve off.
    entropy : sequence of (m, H)
        Entropy of the frequencies of throws 1..m at the same checkpoints
        (``analysis.entropy.running_entropy``).
    xlabel, ylabel, model_label, entropy_label, gap_label : str
        Axis labels and legend entries, in the report's language.
    ax : Axes, optional
        Where to draw; a new figure when omitted.
    """
    ax = _new_axes(RUNNING_FIGSIZE) if ax is None else ax
    m = [p[0] for p in entropy]
    h = [p[1] for p in entropy]
    y = [p[1] if math.isfinite(p[1]) else math.nan for p in model]
    marker = "o" if len(m) <= LINEAR_THROWS else None
    finite = [math.isfinite(v) for v in y]
    ax.plot(m, y, color="black", linestyle="--", linewidth=1.1, label=model_label, zorder=3)
    line = {"color": "black", "linewidth": 1.4, "marker": marker, "markersize": 2.5}
    ax.plot(m, h, **line, zorder=4, label=entropy_label)
    ax.fill_between(m, h, y, where=finite, color="0.85", linewidth=0, label=gap_label, zorder=1)
    _running_axes(ax, m, [v for v in y + h if math.isfinite(v)])
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(color="0.88", linewidth=0.6)
    # Inside, in one column: the curves leave the space under the entropy's rise empty.
    ax.legend(frameon=True, framealpha=0.9, edgecolor="0.8", fontsize="small", loc="lower right")
    return ax


def _running_axes(ax: Axes, m: Sequence[int], shown: Sequence[float]) -> None:
    """The running mean's limits: cross-entropies from 0 up, throws linear or logarithmic."""
    low, high = min(shown), max(shown)
    span = (high - low) or 1.0
    ax.set_ylim(max(0.0, low - 0.06 * span), high + 0.1 * span)  # cross-entropies are ≥ 0
    if m and log_throws_axis(m[-1]):
        ax.set_xscale("log")
        ax.set_xlim(max(0.8, m[0] * 0.8), m[-1] * 1.25)
    elif m:
        ax.set_xlim(0, m[-1] + max(1.0, 0.02 * m[-1]))
        ax.xaxis.get_major_locator().set_params(integer=True)


#: Panels of the profile log-likelihood figure: one per face up to this many.
MAX_PANELS = 12


def profile_panels(
    panels: Sequence[tuple[str, Sequence[tuple[float, float]], float, float, float]],
    cut: float,
    *,
    xlabel: str,
    ylabel: str,
    ax: Axes | None = None,
) -> Axes:
    """Small multiples of each face's profile log-likelihood ℓ(y) − ℓ(ŷ), one panel per face.

    Parameters
    ----------
    panels : sequence of (title, points, mle, low, high)
        Per face: its panel title, the curve's points (y, ℓ(y) − ℓ(ŷ)) from
        ``Analysis.profile_curve``, the estimate ŷ_k and the profile interval.
    cut : float
        χ²₁(level)/2: the interval is where the curve lies above −cut (dotted line).
    xlabel, ylabel : str
        Axis labels (shared by the panels), in the report's language.
    ax : Axes, optional
        The first panel's Axes of a figure with room for all of them (the
        figure's other Axes take the next panels; with one Axes only the first
        panel is drawn); a new figure when omitted.

    Returns
    -------
    Axes
        The first panel; ``ax.figure`` holds them all.
    """
    count = len(panels)
    cols = min(count, 4 if count > 6 else 3)
    if ax is None:
        axes = _panel_grid(math.ceil(count / cols), cols)
    else:
        axes = [ax, *[a for a in ax.figure.axes if a is not ax]]
        count = min(count, len(axes))  # one Axes given: the first panel only
        panels = panels[:count]
        cols = min(cols, count)
    bottom = -2.6 * cut
    # Wide enough for every interval and the curve's fall below the cut, never past [0, 1].
    right = min(1.0, max(high for *_, high in panels) * 1.6 + 0.05)
    left = max(0.0, min(low for *_, low, _ in panels) * 0.5 - 0.02)
    for panel, (title, points, mle, low, high) in zip(axes, panels, strict=False):
        ys = [p[0] for p in points]
        values = [p[1] if math.isfinite(p[1]) else bottom * 2 for p in points]
        panel.axvspan(low, high, color="0.88", linewidth=0, zorder=0)
        panel.plot(ys, values, color="black", linewidth=1.2, zorder=3)
        panel.axhline(-cut, color="0.3", linestyle=":", linewidth=1.0, zorder=2)
        panel.axvline(mle, color="black", linestyle="--", linewidth=0.8, zorder=2)
        panel.plot([mle], [0.0], marker="o", markersize=3.5, color="black", zorder=4)
        _panel_frame(panel, title, (left, right), (bottom, 0.4 * cut))
    for panel in axes[count:]:
        panel.set_visible(False)
    for index in range(max(0, count - cols), count):
        axes[index].xaxis.set_tick_params(labelbottom=True)
    axes[0].figure.supxlabel(xlabel, fontsize="small", y=0.02)
    axes[0].figure.supylabel(ylabel, fontsize="small", x=0.01)
    return axes[0]


def _panel_frame(
    panel: Axes, title: str, xlim: tuple[float, float], ylim: tuple[float, float]
) -> None:
    panel.set_ylim(*ylim)
    panel.set_xlim(*xlim)
    panel.set_title(title, fontsize="small", pad=2)
    panel.locator_params(nbins=3)
    panel.tick_params(labelsize="x-small")


def _panel_grid(rows: int, cols: int) -> list[Axes]:
    """A new figure of rows × cols panels sharing their axes, with fixed margins
    (constrained layout costs about 0.2 s for a grid of panels)."""
    from matplotlib.figure import Figure

    height = 1.2 * rows + 0.55
    figure = Figure(figsize=(6.3, height))
    figure.subplots_adjust(
        left=0.09, right=0.99, bottom=0.42 / height, top=1 - 0.2 / height, hspace=0.3
    )
    return list(figure.subplots(rows, cols, sharex=True, sharey=True, squeeze=False).ravel())


def model_bars(
    faces: Sequence[int | str],
    series: Sequence[tuple[str, Sequence[float]]],
    *,
    xlabel: str,
    ylabel: str,
    infinite_label: str,
    ax: Axes | None = None,
) -> Axes:
    """Grouped bars per face, one bar per series (e.g. n_k(−log y_k) under the MLE and a model).

    An infinite value (a model giving probability 0 to a face that occurred)
    is drawn as an ``infinite_label`` mark at the top instead of a bar.

    Parameters
    ----------
    faces : sequence
        Face labels, one group of bars each.
    series : sequence of (label, values)
        Legend entry and one value per face for each kind of bar.
    xlabel, ylabel, infinite_label : str
        Axis labels and the mark of an infinite bar, in the report's language.
    ax : Axes, optional
        Where to draw; a new figure when omitted.
    """
    ax = _new_axes((6.3, 2.6)) if ax is None else ax
    finite = [v for _, values in series for v in values if math.isfinite(v)]
    top = max(finite + [1e-9]) * 1.18
    for i, (label, values) in enumerate(series):
        heights = [v if math.isfinite(v) else 0.0 for v in values]
        x = _bars(ax, i, len(series), heights, label)
        for xi, v in zip(x, values, strict=True):
            if not math.isfinite(v):
                ax.annotate(
                    infinite_label,
                    (xi, top * 0.92),
                    ha="center",
                    va="center",
                    fontsize="large",
                    zorder=4,
                )
    _face_axis(ax, faces, top, xlabel, ylabel)
    return ax


def group_bars(
    faces: Sequence[int | str],
    groups: Sequence[tuple[str, Sequence[float], Sequence[float], Sequence[float]]],
    *,
    reference: Sequence[float],
    xlabel: str,
    ylabel: str,
    ax: Axes | None = None,
) -> Axes:
    """Grouped bars of each group's frequencies n_k / N with interval bars, side by side.

    Parameters
    ----------
    faces : sequence
        Face labels, one group of bars each.
    groups : sequence of (name, frequency, low, high)
        Per group (die): its name and, per face, n_k / N and its interval.
    reference : sequence of float
        The model's y_k, dashed (without a legend entry: the caption names it).
    xlabel, ylabel : str
        Axis labels, in the report's language.
    ax : Axes, optional
        Where to draw; a new figure when omitted.
    """
    ax = _new_axes() if ax is None else ax
    k = len(faces)
    tops = list(reference)
    for i, (name, frequency, low, high) in enumerate(groups):
        x = _bars(ax, i, len(groups), frequency, name)
        _interval_bars(
            ax, x, frequency, low, high, linewidth=0.8,
            capsize=2 if k * len(groups) <= 40 else 0,
        )  # fmt: skip
        tops.extend(high)
    _reference_marks(ax, reference, None, 0.8)
    _face_axis(ax, faces, min(1.0, max(tops) * 1.15), xlabel, ylabel)
    return ax


def class_lines(
    faces: Sequence[int | str],
    students: Sequence[tuple[str, Sequence[float]]],
    pooled: Sequence[float],
    *,
    reference: Sequence[float],
    pooled_label: str,
    xlabel: str,
    ylabel: str,
    ax: Axes | None = None,
) -> Axes:
    """Each student's ŷ_k as a thin grey line over the faces, the class's pooled ŷ_k thick.

    ``students`` are (name, ŷ) pairs. Up to ``NAMED_STUDENTS`` lines differ in
    style and the legend names them; a larger class is a grey band of lines.
    The model's y_k is dashed (without a legend entry: the caption names it).
    Lines rather than bars: a class of thirty still reads as one figure.
    """
    ax = _new_axes() if ax is None else ax
    x = list(range(len(faces)))
    named = len(students) <= NAMED_STUDENTS
    for i, (name, y) in enumerate(students):
        ax.plot(
            x, y, color="0.45" if named else "0.6", linewidth=0.8,
            linestyle=STUDENT_STYLES[i] if named else "-", marker="o", markersize=2.5,
            label=name if named else None, zorder=2,
        )  # fmt: skip
    ax.plot(
        x, pooled, color="black", linewidth=2.0, marker="o", markersize=4, label=pooled_label,
        zorder=3,
    )  # fmt: skip
    _reference_marks(ax, reference, None, 0.8)
    top = max([*reference, *pooled, *(v for _, y in students for v in y)])
    _face_axis(ax, faces, min(1.0, top * 1.15) or 1.0, xlabel, ylabel)
    return ax


#: Classes up to this size get one line style and legend entry per student.
NAMED_STUDENTS = 6
STUDENT_STYLES = ("-", ":", "-.", (0, (5, 1, 1, 1)), (0, (1, 3)), (0, (3, 1, 1, 1, 1, 1)))
