"""The figures of a class's overviews: plain data in, an ``Axes`` out (``figures``' rules).

- ``sorted_pvalues``: each student's exact p, smallest first, beside what fair dice
  give on average (the i-th smallest of m uniform p-values is about i/(m + 1)), with
  α as a dotted line: the public overview's picture of multiplicity.
- ``class_dots``: every student's ŷ_k as a dot per face, the pooled ŷ_k as a bar:
  a class of forty reads as one figure with a three-entry legend.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.axes import Axes

#: The overviews' figures: as wide as the report's, a little taller.
FIGSIZE = (6.3, 2.6)


def _new_axes(figsize: tuple[float, float] = FIGSIZE) -> Axes:
    from matplotlib.figure import Figure

    return Figure(figsize=figsize, layout="constrained").add_subplot()


def sorted_pvalues(
    pvalues: Sequence[float],
    alpha: float,
    *,
    chance_label: str,
    alpha_label: str,
    xlabel: str,
    ylabel: str,
    ax: Axes | None = None,
) -> Axes:
    """Students' p-values, sorted, against the uniform line i/(m + 1) and the level α.

    ``pvalues`` are in student-number order (smallest first). A dot below α
    is filled; the others are hollow. The p axis is logarithmic, so that a loaded
    die's p of 10⁻⁶ stands apart from a 0.03 that chance gives; with many students
    the student ticks are thinned.
    """
    ax = _new_axes() if ax is None else ax
    m = len(pvalues)
    x = list(range(1, m + 1))
    ax.plot(
        x,
        [i / (m + 1) for i in x],
        color="0.4",
        linestyle="--",
        linewidth=1.0,
        label=chance_label,
        zorder=2,
    )
    ax.axhline(alpha, color="black", linestyle=":", linewidth=1.0, label=alpha_label, zorder=2)
    small = [(i, p) for i, p in zip(x, pvalues, strict=True) if p < alpha]
    large = [(i, p) for i, p in zip(x, pvalues, strict=True) if p >= alpha]
    for points, face in ((small, "black"), (large, "white")):
        if points:
            ax.plot(
                [i for i, _ in points],
                [p for _, p in points],
                linestyle="none",
                marker="o",
                markersize=4.5,
                markerfacecolor=face,
                markeredgecolor="black",
                zorder=3,
            )
    step = max(1, -(-m // 20))
    ax.set_xticks(x[::step])
    ax.set_xlim(0.3, m + 0.7)
    _log_p_axis(ax, min([*pvalues, 1 / (m + 1), alpha]))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(axis="y", color="0.85", linewidth=0.5)
    ax.legend(loc="lower right", frameon=False, fontsize="small")
    return ax


def _log_p_axis(ax: Axes, smallest: float) -> None:
    """p on a logarithmic axis down to below ``smallest``, ticks as people write them."""
    import math

    bottom = 10 ** math.floor(math.log10(max(smallest, 1e-300)) - 0.3)
    ax.set_yscale("log")
    ax.set_ylim(bottom, 1.6)
    ticks = [10.0**e for e in range(round(math.log10(bottom)), 1)]
    ticks = ticks[-6:] if len(ticks) > 6 else ticks
    ax.set_yticks(
        ticks, [f"{t:.10f}".rstrip("0").rstrip(".") if t >= 1e-6 else f"{t:.0e}" for t in ticks]
    )
    ax.minorticks_off()


def class_dots(
    faces: Sequence[int | str],
    students: Sequence[Sequence[float]],
    pooled: Sequence[float],
    *,
    reference: Sequence[float],
    students_label: str,
    pooled_label: str,
    reference_label: str,
    xlabel: str,
    ylabel: str,
    ax: Axes | None = None,
) -> Axes:
    """Every student's ŷ_k as a small dot, spread a little across its face; the pooled ŷ_k
    as a short thick bar; the model's y_k as a dashed tick. No student is named: the
    tables name them, and a legend of forty names would not fit."""
    ax = _new_axes() if ax is None else ax
    m = max(1, len(students))
    width = 0.5
    offsets = [(-width / 2 + width * (i + 0.5) / m) for i in range(len(students))]
    for j in range(len(faces)):
        xs = [j + offset for offset in offsets]
        ax.plot(
            xs,
            [y[j] for y in students],
            linestyle="none",
            marker="o",
            markersize=2.6,
            color="0.45",
            label=students_label if j == 0 else None,
            zorder=2,
        )
        ax.hlines(
            pooled[j],
            j - 0.33,
            j + 0.33,
            color="black",
            linewidth=2.2,
            label=pooled_label if j == 0 else None,
            zorder=3,
        )
        ax.hlines(
            reference[j],
            j - 0.42,
            j + 0.42,
            color="black",
            linestyle="--",
            linewidth=0.9,
            label=reference_label if j == 0 else None,
            zorder=4,
        )
    top = max([*reference, *pooled, *(v for y in students for v in y)])
    _faces_axis(ax, faces, min(1.0, top * 1.12) or 1.0, xlabel, ylabel)
    ax.legend(
        loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=3, frameon=False, fontsize="small"
    )
    return ax


def _faces_axis(ax: Axes, faces: Sequence[int | str], top: float, xlabel: str, ylabel: str) -> None:
    """Faces along x, y from 0 to ``top``, a light grid."""
    ax.set_xticks(range(len(faces)), [str(face) for face in faces])
    ax.set_xlim(-0.6, len(faces) - 0.4)
    ax.set_ylim(0, top)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(axis="y", color="0.85", linewidth=0.5)
