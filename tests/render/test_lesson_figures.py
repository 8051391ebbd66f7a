"""The yardstick and the cross-entropy curve as drawn: the artists a reader relies on.

Oracles: the analysis's own numbers read back from the drawing (the hatched bars'
area against a count of the simulated G written here; the curve's lowest point
and the interval bar against ``Analysis.intervals["profile"]``), and the words
given, found verbatim in the legend or the off-scale note.
"""

from __future__ import annotations

import math
import random
from pathlib import Path

import pytest
from matplotlib.lines import Line2D
from matplotlib.text import Annotation

import reportgen
from reportgen.analysis import curve, yardstick
from reportgen.render import lesson_plots, svg

DATA = Path(__file__).resolve().parents[2] / "data"

#: Every message the figures take, with every placeholder each may use.
TEXT = {
    "yardstick_x": "G (nats)",
    "yardstick_y": "density",
    "yardstick_simulated": "G of {draws} logs of {n} throws",
    "yardstick_beyond": "{beyond} of {draws} at least {g} (share {share})",
    "yardstick_beyond_none": "none of {draws} reached {g}",
    "yardstick_density": "$\\chi^2_{{{df}}}$ density",
    "yardstick_observed": "observed G = {g}",
    "yardstick_share": "share {share}",
    "yardstick_y_share": "share of logs",
    "yardstick_density_share": "$\\chi^2_{{{df}}}$ approximation",
    "curve_x": "$y_{{{face}}}$",
    "curve_y": "total cross-entropy ({unit})",
    "curve_minimum": "minimum {minimum} at {mle}",
    "curve_cut": "line at {line} ({level})",
    "curve_cut_bit": "line at {line} ({level}, bits)",
    "curve_interval": "interval [{low}, {high}]",
    "curve_model": "{model_name}: {model}",
    "curve_model_infinite": "{model_name}: y = 0, infinite",
}


def _d1000(folder: Path) -> Path:
    rng = random.Random(1000)
    path = folder / "d1000.csv"
    path.write_text("face\n" + "".join(f"{rng.randint(1, 1000)}\n" for _ in range(600)))
    return path


CASES = {
    "coin": lambda tmp: (tmp / "coin.csv", {"faces": "H,T"}, "face\n" + "HTHHTHHHTHHTHH\n"),
    "d6": lambda tmp: (DATA / "rolls.csv", {}, None),
    "d1000": lambda tmp: (_d1000(tmp), {"faces": "1000"}, None),
    "G = inf": lambda tmp: (DATA / "rolls.csv", {"model": "0,0.2,0.2,0.2,0.2,0.2"}, None),
}


@pytest.fixture(scope="module")
def analysed(tmp_path_factory):
    """Each case analysed once for the module (a d1000's analysis takes seconds)."""
    made = {}

    def get(case):
        if case not in made:
            source, options, text = CASES[case](tmp_path_factory.mktemp(case.replace(" ", "")))
            if text is not None:
                header, throws = text.splitlines()
                source.write_text("\n".join([header, *throws]) + "\n")
            made[case] = reportgen.analyse(source, **options)
        return made[case]

    return get


def _legend(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


@pytest.mark.parametrize("case", list(CASES))
def test_the_yardstick_shades_exactly_the_share_beyond(case, analysed):
    """The dark bars hold the share of simulated G in [observed, axis end] (counted here):
    as their area when drawn as a density, as their heights when G takes few values (a
    coin: one bar a value, its share)."""
    analysis = analysed(case)
    found = yardstick.of(analysis)
    ax = lesson_plots.yardstick(analysis, TEXT)
    low, high = ax.get_xlim()
    dark = [p for p in ax.patches if p.get_width() > 0 and p.get_facecolor()[0] < 0.5]
    shares = lesson_plots.as_shares(found)
    held = sum(p.get_height() * (1 if shares else p.get_width()) for p in dark)
    threshold = found.observed * (1 - 1e-7)
    counted = sum(threshold <= g <= high for g in found.simulated) / found.draws
    assert held == pytest.approx(counted, abs=1e-9)
    assert shares == (case == "coin")
    texts = _legend(ax)
    density = "approximation" if shares else "density"
    assert f"$\\chi^2_{{{found.df}}}$ {density}" in texts
    if math.isfinite(found.observed):
        assert any(line.get_xdata()[0] == found.observed for line in ax.lines)
        assert any(text.startswith("observed G = ") for text in texts)
    else:
        notes = [c.get_text() for c in ax.get_children() if isinstance(c, Annotation)]
        assert notes == ["observed G = \u221e"] and "none of 4 000 reached \u221e" in texts
    assert 'aria-label="yardstick"' in svg.to_svg(ax.figure, title="yardstick")


@pytest.mark.parametrize("case", list(CASES))
def test_the_curve_shows_its_minimum_line_and_interval(case, analysed):
    """Lowest drawn point at (ŷ, N·H), the dotted line at min + cut, the bar on the
    profile interval of the face followed (the JSON's intervals.profile)."""
    analysis = analysed(case)
    found = curve.of(analysis)
    ax = lesson_plots.curve(analysis, TEXT, unit_name="nats", model_name="model")
    lines = {tuple(line.get_xdata()): line for line in ax.lines if isinstance(line, Line2D)}
    dots = [ln for ln in ax.lines if ln.get_marker() == "o"]
    assert (dots[0].get_xdata()[0], dots[0].get_ydata()[0]) == (found.mle, found.minimum)
    assert found.minimum == pytest.approx(analysis.cross_entropy.total)
    profile = analysis.intervals["profile"]
    bar = lines[(found.low, found.high)]
    assert bar.get_linewidth() == 4
    assert (found.low, found.high) == pytest.approx(
        (profile.low[found.k], profile.high[found.k]), abs=1e-6
    )
    assert any(ln.get_ydata()[0] == pytest.approx(found.minimum + found.cut) for ln in ax.lines)
    texts = _legend(ax)
    assert any(text.startswith("interval [") for text in texts)
    if case == "G = inf":
        notes = [c.get_text() for c in ax.get_children() if isinstance(c, Annotation)]
        assert notes == ["model: y = 0, infinite"] and found.k == 0
    else:
        assert any(text.startswith("model: ") for text in texts)
    svg.to_svg(ax.figure, title="curve")


def test_an_observed_g_far_beyond_is_marked_at_the_edge():
    """A loaded die of 10 000 throws: G ≈ 200 lies far past every simulated G (χ²₅ < 30)."""
    from reportgen.render.lesson_figures import chance_yardstick

    found = yardstick.yardstick((1400, 1600, 1600, 1600, 1600, 2200), [1 / 6] * 6)
    ax = chance_yardstick(
        found.simulated, found.observed, found.df, xlabel="G", ylabel="density",
        simulated_label="simulated", beyond_label="beyond", density_label="chi2",
        observed_label="observed far out",
    )  # fmt: skip
    assert ax.get_xlim()[1] < found.observed / 3
    notes = [c for c in ax.get_children() if isinstance(c, Annotation)]
    assert [n.get_text() for n in notes] == ["observed far out"] and notes[0].xy == (1.0, 0.5)
