"""The figures that answer the lesson's own questions (issue 24), from one ``Analysis``.

Each function picks the analysis's numbers (``analysis.yardstick``,
``analysis.curve``), formats them for people (``render.format``) and fills them
into the words it is given, then draws with ``render.lesson_figures``. The words
arrive as a mapping of catalogue messages with ``{name}`` placeholders (the
catalogue's ``figures`` section is the place for them; their keys are listed
in ``YARDSTICK_TEXT`` and ``CURVE_TEXT``), so these figures can join
``plots.PLOTS`` as one wrapper each that passes ``messages(lang)["figures"]``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from reportgen.analysis import curve as curves
from reportgen.analysis import yardstick as yardsticks
from reportgen.analysis.fairness import MONTE_CARLO_SEED
from reportgen.render.catalogue import fill, plain
from reportgen.render.numbers import fmt_count, fmt_number, fmt_percent

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from reportgen.analysis import Analysis

#: The messages ``yardstick`` fills, by key, with the placeholders each may use:
#: {n} throws, {df}, {g} the observed G, {beyond} of {draws} simulated G ≥ it, {share}.
#: ``yardstick_beyond_none`` replaces ``yardstick_beyond`` when no simulated G reached G.
YARDSTICK_TEXT = (
    "yardstick_x",
    "yardstick_y",
    "yardstick_simulated",
    "yardstick_beyond",
    "yardstick_beyond_none",
    "yardstick_density",
    "yardstick_observed",
    "yardstick_share",
    "yardstick_y_share",
    "yardstick_density_share",
)


def as_shares(found: yardsticks.Yardstick) -> bool:
    """Whether the yardstick draws each value's share (few values of G), so its axis, legend
    and caption use the ``…_share`` messages (``lesson_figures.few_values``)."""
    from reportgen.render.lesson_figures import few_values

    return few_values(found.simulated)


#: The messages ``curve`` fills: {face}, {unit}, {mle}, {minimum}, {line}, {level},
#: {low}, {high}, {model} (the model's y_k) and {model_name} (as the caller names it).
#: ``curve_cut_bit`` replaces ``curve_cut`` in bits (the line is χ²₁/(2 ln 2) above);
#: ``curve_model_infinite`` replaces ``curve_model`` when C is ∞ there (a seen face, y_k = 0).
CURVE_TEXT = (
    "curve_x",
    "curve_y",
    "curve_minimum",
    "curve_cut",
    "curve_cut_bit",
    "curve_interval",
    "curve_model",
    "curve_model_infinite",
)


def _words(text: Mapping[str, Any], keys: tuple[str, ...], **values: Any) -> dict[str, str]:
    """Each message of ``keys`` filled with ``values`` and stripped to plain text."""
    return {key: plain(fill(text[key], **values)) for key in keys}


def probability(y: float) -> str:
    """A model's probability as the legends write it: 0.1667, 0.5, 0 (4 decimals, no trailing 0)."""
    return fmt_number(y, 4).rstrip("0").rstrip(".")


def share(value: float) -> str:
    """A share of the draws: 3 decimals, or 3 significant digits below 0.001 (SPEC.md)."""
    return fmt_number(value, 3) if value >= 0.001 or value == 0 else f"{value:.3g}"


def yardstick(
    analysis: Analysis,
    text: Mapping[str, Any],
    *,
    seed: int = MONTE_CARLO_SEED,
    ax: Axes | None = None,
    thousands: str = "\u202f",
) -> Axes:
    """G of logs simulated under the model, the χ² density, the observed G and the share beyond.

    ``thousands`` groups the counts the figure writes, as the page's language does.
    """
    from reportgen.render import lesson_figures as figures

    found = yardsticks.of(analysis, seed=seed)
    shares = as_shares(found)
    words = _words(
        text,
        YARDSTICK_TEXT,
        n=fmt_count(found.n, thousands),
        df=found.df,
        g=fmt_number(found.observed, 2),
        share=share(found.share),
        beyond=fmt_count(found.beyond, thousands),
        draws=fmt_count(found.draws, thousands),
    )
    return figures.chance_yardstick(
        found.simulated,
        found.observed,
        found.df,
        xlabel=words["yardstick_x"],
        ylabel=words["yardstick_y_share" if shares else "yardstick_y"],
        simulated_label=words["yardstick_simulated"],
        beyond_label=words["yardstick_beyond" if found.beyond else "yardstick_beyond_none"],
        density_label=words["yardstick_density_share" if shares else "yardstick_density"],
        observed_label=words["yardstick_observed"],
        share_label=words["yardstick_share"],
        ax=ax,
    )


def curve(
    analysis: Analysis,
    text: Mapping[str, Any],
    *,
    unit_name: str,
    model_name: str,
    k: int | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Total cross-entropy along face k's profile (a coin: over y_1), with the model's y_k."""
    from reportgen.render import lesson_figures as figures

    found = curves.of(analysis, k)
    y_model = analysis.reference.y[found.k]
    height = found.at(y_model)
    words = _words(
        text,
        CURVE_TEXT,
        face=analysis.faces[found.k],
        unit=unit_name,
        mle=fmt_number(found.mle, 3),
        minimum=fmt_number(found.minimum, 2),
        line=fmt_number(found.minimum + found.cut, 2),
        level=fmt_percent(analysis.options.confidence),
        low=fmt_number(found.low, 3),
        high=fmt_number(found.high, 3),
        model=probability(y_model),
        model_name=model_name,
    )
    return figures.cross_entropy_curve(
        found.points,
        found.mle,
        found.minimum,
        found.cut,
        (found.low, found.high),
        model=(y_model, height),
        xlabel=words["curve_x"],
        ylabel=words["curve_y"],
        minimum_label=words["curve_minimum"],
        cut_label=words["curve_cut_bit" if analysis.options.unit == "bit" else "curve_cut"],
        interval_label=words["curve_interval"],
        model_label=words["curve_model" if math.isfinite(height) else "curve_model_infinite"],
        ax=ax,
    )
