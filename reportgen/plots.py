"""The report's figures, one at a time: ``reportgen.plots.frequencies(result)`` and friends.

Each function takes an analysis and ``ax=None`` and returns the Axes it drew
on, labelled in the report's language (see ``reportgen.render.plots``). As in
pandas and seaborn, without ``ax`` a figure is drawn with pyplot: on the current
Axes while it is empty (a fresh ``plt.subplot(…)``), else on a new pyplot figure,
so a notebook shows it inline and a script ends with ``plt.show()`` or
``savefig``; ``profiles``, a grid of panels, always opens a figure of its own::

    ax = reportgen.plots.frequencies(reportgen.analyse("data/rolls.csv"))
    ax.figure.savefig("bars.png")

The report's own rendering does not come through here: it calls
``reportgen.render.plots``, whose figures are detached from pyplot (no global
state in the pipeline).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from reportgen.render import plots as _detached

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from reportgen.analysis import Analysis


def _on_pyplot(draw: Callable[..., Axes | None]) -> Callable[..., Axes | None]:
    """``draw`` with ``ax=None`` meaning pyplot's current Axes (``plt.gca()``)."""

    @functools.wraps(draw)
    def wrapper(analysis: Analysis, ax: Axes | None = None, **kwargs: Any) -> Axes | None:
        _as_shown(analysis, draw, kwargs)
        if ax is None:
            if draw is _detached.groups and not analysis.groups:
                return None  # no figure to open
            ax = _current_axes(kwargs["lang"])
        return draw(analysis, ax=ax, **kwargs)

    return wrapper


def _as_shown(analysis: Analysis, draw: Callable[..., Any], kwargs: dict[str, Any]) -> None:
    """Unless told, the language (and interval) a ``Report``'s pages show; else English, Wilson."""
    shown = getattr(analysis, "render", None)
    if not kwargs.get("lang"):
        kwargs["lang"] = shown.lang if shown is not None else "en"
    if draw in (_detached.frequencies, _detached.groups) and not kwargs.get("interval"):
        kwargs["interval"] = shown.interval if shown is not None else "wilson"


def _current_axes(lang: str) -> Axes:
    """pyplot's current Axes while nothing is drawn on it, else a new pyplot figure's.

    Two figures of different kinds on one Axes (bars under a log-scaled running
    mean) mean nothing, so a second call opens a figure as pandas'
    ``DataFrame.plot`` does. A new Axes gets the labels' font (``render.fonts``).
    """
    import matplotlib.pyplot as plt

    from reportgen.render.fonts import matplotlib_context

    with matplotlib_context(lang):
        if plt.get_fignums():
            ax = plt.gca()
            if not (ax.has_data() or ax.texts):
                return ax
            plt.figure()
        return plt.gca()


running_mean = _on_pyplot(_detached.running_mean)
frequencies = _on_pyplot(_detached.frequencies)
models = _on_pyplot(_detached.models)
groups = _on_pyplot(_detached.groups)


@functools.wraps(_detached.profiles)
def profiles(
    analysis: Analysis,
    ax: Axes | None = None,
    lang: str | None = None,
    faces: Sequence[int] | None = None,
) -> Axes:
    options: dict[str, Any] = {"lang": lang}
    _as_shown(analysis, _detached.profiles, options)
    lang = options["lang"]
    if ax is None:  # a new pyplot figure with one panel per face, as the report lays them out
        import matplotlib.pyplot as plt

        from reportgen.render.fonts import matplotlib_context

        count = len(_detached.profile_selection(analysis.k) if faces is None else faces)
        cols = min(count, 4 if count > 6 else 3)
        rows = math.ceil(count / cols)
        with matplotlib_context(lang):
            figure = plt.figure(figsize=(6.3, 1.2 * rows + 0.55), layout="constrained")
            grid = figure.subplots(rows, cols, sharex=True, sharey=True, squeeze=False)
        ax = grid.ravel()[0]
    return _detached.profiles(analysis, ax=ax, lang=lang, faces=faces)


#: Every figure, by name, in the order the report shows them (pyplot without ``ax``).
PLOTS: dict[str, Callable[..., Axes | None]] = {
    "running": running_mean,
    "bars": frequencies,
    "profile": profiles,
    "model": models,
    "groups": groups,
}

__all__ = ["PLOTS", "frequencies", "groups", "models", "profiles", "running_mean"]
