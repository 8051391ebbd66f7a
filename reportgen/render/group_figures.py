"""The figure of many dice (``--by``): plain data in, Axes out.

The drawing half of ``plots.groups`` past ``layout.GROUP_BARS`` dice, kept apart
from ``figures`` (at the house's size limit for one module). Same rules:
matplotlib imported inside, no pyplot, every text an argument, greys and line
styles that read the same printed in black and white.

- ``group_dots``: one panel a face, the dice down its axis, each die's ŷ_k as a
  dot with its interval as a line, against the pooled estimate and the model.
  Forty dice stay forty readable rows where grouped bars become a barcode.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from reportgen.render.figures import FIGSIZE

if TYPE_CHECKING:
    from matplotlib.axes import Axes

#: Height in inches of one die's row, and the most the whole figure may take (an A4 page
#: leaves about 9 in for a figure and its caption).
ROW_HEIGHT, MAX_HEIGHT = 0.13, 8.6

#: Font size in points of the dice's names at ``ROW_HEIGHT``; smaller rows scale it down.
NAME_SIZE = 6.5

#: Below this font size in points only every n-th die is named, so names never overlap.
SMALLEST_NAME = 4.5


def group_dots(
    panels: Sequence[tuple[int, str]],
    groups: Sequence[tuple[str, Sequence[float], Sequence[float], Sequence[float]]],
    pooled: Sequence[float],
    *,
    reference: Sequence[float],
    xlabel: str,
    labels: tuple[str, str, str],
    ax: Axes | None = None,
) -> Axes:
    """Small multiples, a panel a face: each die's ŷ_k (dot) and interval (line), dice down y.

    Parameters
    ----------
    panels : sequence of (k, title)
        The faces drawn, a panel each: the face's index k and the panel's title.
    groups : sequence of (name, frequency, low, high)
        Per die, top to bottom: its name and, per face, n_k / N and its interval.
    pooled : sequence of float
        The estimate of all throws pooled, per face: a solid line in each panel.
    reference : sequence of float
        The model's y_k, per face: a dashed line in each panel.
    xlabel : str
        The shared label of the panels' x axes, in the report's language.
    labels : (die, pooled, model)
        The legend's three entries: a die's estimate, the pooled one, the model.
    ax : Axes, optional
        The first panel's Axes of a figure with one Axes a face; a new figure when omitted.

    Returns
    -------
    Axes
        The first panel; ``ax.figure`` holds them all.
    """
    axes = _dot_panels(len(panels), len(groups)) if ax is None else [ax, *ax.figure.axes[1:]]
    rows = list(range(len(groups)))[::-1]  # the first die at the top
    right = min(1.0, max(high[j] for j, _ in panels for *_, high in groups) * 1.08)
    for (j, title), panel in zip(panels, axes, strict=False):
        _one_face(panel, j, groups, rows)
        panel.axvline(pooled[j], color="black", linewidth=1.0, zorder=2)
        panel.axvline(reference[j], color="black", linestyle="--", linewidth=0.8, zorder=2)
        panel.set_title(title, fontsize="small", pad=2)
        panel.set_xlim(-0.03 * right, right)  # a dot at 0 whole, off the frame
        panel.locator_params(axis="x", nbins=3)
        panel.tick_params(labelsize="x-small", length=2)
        panel.grid(axis="y", color="0.9", linewidth=0.5, zorder=0)
        panel.set_axisbelow(True)
    _name_rows(axes[0], [name for name, *_ in groups], rows)
    _legend(axes[0], labels)
    axes[0].figure.supxlabel(xlabel, fontsize="small")
    return axes[0]


def _one_face(
    panel: Axes,
    j: int,
    groups: Sequence[tuple[str, Sequence[float], Sequence[float], Sequence[float]]],
    rows: Sequence[int],
) -> None:
    """Face ``j`` of every die: its interval as a grey line, its estimate as a black dot."""
    panel.hlines(
        rows, [low[j] for *_, low, _ in groups], [high[j] for *_, high in groups],
        color="0.55", linewidth=0.9, zorder=3,
    )  # fmt: skip
    panel.plot(
        [frequency[j] for _, frequency, *_ in groups], rows, linestyle="none", marker="o",
        markersize=2.6, color="black", zorder=4,
    )  # fmt: skip


def _dot_panels(faces: int, dice: int) -> list[Axes]:
    """A new figure of one panel a face, side by side, tall enough for a row a die."""
    from matplotlib.figure import Figure

    height = min(MAX_HEIGHT, ROW_HEIGHT * dice + 1.0)
    figure = Figure(figsize=(FIGSIZE[0], height), layout="constrained")
    figure.get_layout_engine().set(w_pad=0.02, wspace=0.02)  # type: ignore[union-attr]
    return list(figure.subplots(1, faces, sharey=True, squeeze=False).ravel())


def _name_rows(ax: Axes, names: Sequence[str], rows: Sequence[int]) -> None:
    """The dice's names down the first panel's y axis, every n-th one when rows are tight."""
    pitch = (ax.figure.get_figheight() - 1.0) / max(1, len(names))
    size = NAME_SIZE * min(1.0, pitch / ROW_HEIGHT)
    step = max(1, math.ceil(SMALLEST_NAME / size))
    ax.set_yticks(list(rows)[::step], list(names)[::step], fontsize=max(size, SMALLEST_NAME))
    ax.set_ylim(-0.7, len(names) - 0.3)


def _legend(ax: Axes, labels: tuple[str, str, str]) -> None:
    """One row above the panels: a die's dot and interval, the pooled line, the model's."""
    from matplotlib.lines import Line2D

    die, pooled, model = labels
    handles = [
        Line2D([], [], color="0.55", linewidth=0.9, marker="o", markersize=2.6,
               markerfacecolor="black", markeredgecolor="black", label=die),
        Line2D([], [], color="black", linewidth=1.0, label=pooled),
        Line2D([], [], color="black", linestyle="--", linewidth=0.8, label=model),
    ]  # fmt: skip
    ax.figure.legend(
        handles=handles, loc="outside upper center", ncols=3, frameon=False, fontsize="small"
    )
