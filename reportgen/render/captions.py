"""The figures' captions: each made from the analysis, how it is shown and the catalogue.

``CAPTIONS[name](Words(...))`` is the caption of ``plots.FIGURES[name]``, in the
page's language; ``plots.report_figures`` puts each under its drawing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from reportgen.analysis.estimate import profile_cut
from reportgen.printable import clean
from reportgen.render.catalogue import fill as _fill
from reportgen.render.catalogue import plain as _plain
from reportgen.render.figures import MAX_PANELS
from reportgen.render.numbers import fmt_count, fmt_number, fmt_percent, fmt_pvalue

if TYPE_CHECKING:
    from reportgen.analysis import Analysis
    from reportgen.options import RenderOptions


@dataclass(frozen=True)
class Words:
    """What every caption is made from: the analysis, how it is shown, the catalogue."""

    analysis: Analysis
    render: RenderOptions
    m: dict[str, Any]
    unit_name: str

    @property
    def text(self) -> dict[str, Any]:
        return self.m["figures"]

    def count(self, value: int) -> str:
        """A whole number grouped as the catalogue's language groups thousands."""
        return fmt_count(value, self.m["numbers"]["thousands"])

    @property
    def gap(self) -> Markup:
        """Between two sentences: a space in English, none in Japanese."""
        return self.m["sentence_gap"]

    @property
    def model(self) -> Markup:
        from reportgen.render.wording import model_name

        if self.analysis.options.model.fair and self.analysis.k == 2:  # a fair coin
            return _fill(self.text["coin_name"])
        return model_name(self.analysis, self.m)

    @property
    def reference(self) -> Markup:
        if not self.analysis.options.model.fair:
            return _fill(self.text["ref_given"], model=self.model)
        key = "ref_coin" if self.analysis.k == 2 else "ref_fair"
        return _fill(self.text[key], k=self.count(self.analysis.k))

    @property
    def infinite(self) -> str:
        """The faces seen that the model forbids, by name."""
        return ", ".join(str(self.analysis.faces[j]) for j in self.analysis.infinite_indices)

    @property
    def interval(self) -> dict[str, Any]:
        """The shown interval's level and name, as the captions fill them."""
        level = fmt_percent(self.analysis.options.confidence)
        return {"level": level, "method": _plain(self.m["intervals"][self.render.interval])}


def _running_caption(w: Words) -> Markup:
    a = w.analysis
    caption = _fill(w.text["running_caption"], model=w.model, n=w.count(a.n))
    if a.options.model.fair:
        key = "running_coin" if a.k == 2 else "running_fair"
        caption += w.gap + _fill(w.text[key], k=w.count(a.k))
    if w.infinite:
        caption += w.gap + _fill(w.text["running_infinite"], faces=w.infinite)
    return caption


def _model_caption(w: Words) -> Markup:
    caption = _fill(w.text["model_caption"], unit=w.unit_name, model=w.model)
    if w.infinite:  # the ∞ marks of figures.model_bars
        caption += w.gap + _fill(w.text["model_infinite"], faces=w.infinite)
    return caption


def _groups_caption(w: Words) -> Markup:
    from reportgen.render.layout import GROUP_BARS

    dice = w.analysis.groups
    if len(dice) > GROUP_BARS:  # the dot plot names its dice on its axis
        return _fill(w.text["groups_dots_caption"], groups=len(dice), reference=w.reference,
                     **w.interval)  # fmt: skip
    names = w.m["list_separator"].join(clean(str(name)) for name in dice)
    return _fill(w.text["groups_caption"], names=names, reference=w.reference, **w.interval)


def _curve_caption(w: Words) -> Markup:
    from reportgen.analysis import curve as curves

    a = w.analysis
    found = curves.of(a)
    caption = _fill(
        w.text["curve_caption"],
        n=w.count(a.n),
        face=a.faces[found.k],
        mle=fmt_number(found.mle),
        cut=fmt_number(found.cut, 3),
        chi2=fmt_number(2 * profile_cut(a.options.confidence), 3),
        unit=w.unit_name,
        low=fmt_number(found.low),
        high=fmt_number(found.high),
        **w.interval,
    )
    note = _fill(w.text["curve_model_note"], model=w.model, face=a.faces[found.k])
    return caption + w.gap + note


def _yardstick_caption(w: Words) -> Markup:
    from reportgen.analysis import yardstick as yardsticks
    from reportgen.render.lesson_plots import as_shares, share

    a = w.analysis
    found = yardsticks.of(a, seed=a.options.seed)
    return _fill(
        w.text["yardstick_caption_share" if as_shares(found) else "yardstick_caption"],
        n=w.count(a.n),
        draws=w.count(found.draws),
        model=w.model,
        seed=a.options.seed,
        df=found.df,
        g=fmt_number(found.observed),
        share=fmt_number(found.share, 3),
        se=share(found.stderr),
        p=fmt_pvalue(a.tests["g_test"].pvalue),
        p_exact=fmt_pvalue(a.exact_multinomial.pvalue),
    )


CAPTIONS: dict[str, Callable[[Words], Markup]] = {
    "running": _running_caption,
    "curve": _curve_caption,
    "yardstick": _yardstick_caption,
    "bars": lambda w: _fill(w.text["bars_caption"], reference=w.reference, **w.interval),
    "profile": lambda w: _profile_caption(w.analysis, w.text, w.gap),
    "model": _model_caption,
    "groups": _groups_caption,
}


def _profile_caption(analysis: Analysis, text: dict[str, Any], gap: str) -> Any:
    caption = _fill(text["profile_caption"], level=fmt_percent(analysis.options.confidence))
    shown = min(analysis.k, MAX_PANELS)  # as many panels as ``plots.profile_selection`` picks
    if shown < analysis.k:
        caption += gap + _fill(
            text["profile_selection"], shown=fmt_count(shown), k=fmt_count(analysis.k)
        )
    return caption
