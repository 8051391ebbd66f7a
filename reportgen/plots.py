"""The report's figures, one at a time: ``reportgen.plots.frequencies(result)`` and friends.

Each function takes an analysis and ``ax=None`` and returns the Axes it drew
on, labelled in the report's language (see ``reportgen.render.plots``)::

    ax = reportgen.plots.frequencies(reportgen.analyse("data/rolls.csv"))
    ax.figure.savefig("bars.png")
"""

from __future__ import annotations

from reportgen.render.plots import PLOTS, frequencies, groups, models, profiles, running_mean

__all__ = ["PLOTS", "frequencies", "groups", "models", "profiles", "running_mean"]
