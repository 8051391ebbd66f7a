"""The lesson's sections 1–6: the counts, one throw, (4.1)–(4.3), all the throws.

Each section is a small frozen dataclass with its words (``Words`` of its part
of the catalogue), its numbers (unrounded) and its equations, built by one
function from the ``Analysis`` the lesson walks through.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from reportgen.analysis import entropy
from reportgen.printable import clean
from reportgen.render.catalogue import fill
from reportgen.render.equations import Equation
from reportgen.render.layout import WIDE, visible
from reportgen.render.numbers import fmt_number
from reportgen.render.plots import Figure
from reportgen.render.wording import count
from reportgen.render.words import Words

if TYPE_CHECKING:
    from reportgen.analysis import Analysis
    from reportgen.analysis.holdout import Holdout
    from reportgen.render.pages.sections import Facts

#: Throws shown one by one in the per-sample table (the lesson's experiment had 20).
SHOWN_THROWS = 20

#: Below this many throws the held-out section warns that one split is a noisy judge.
NOISY_SPLIT = 100


@dataclass(frozen=True)
class FrequencyRow:
    """One face of the counts table: its label, n_k and n_k / N."""

    face: int | str
    n_k: int
    frequency: float


@dataclass(frozen=True)
class Counts:
    """Section 1: the counts table, the likelihood, (3.6) and its value at the MLE."""

    words: Words
    walk_note: Markup | None  # with --by, when the sections follow one die
    rows: list[FrequencyRow | None]  # in ``Facts.face_rows`` order; None = ⋮
    any_zero: bool
    likelihood: Equation
    lesson: Equation  # (3.6), log L with t_k = n_k
    at_mle: Equation


def counts(
    analysis: Analysis,
    facts: Facts,
    m: dict[str, Any],
    eq: Mapping[str, Equation],
    walk_name: str | None,
    record_n: int,
) -> Counts:
    """Section 1 of ``analysis`` (``record_n``: the whole record's throws, with ``--by``)."""
    n = analysis.n
    walk_note = None
    if walk_name:
        walk_note = fill(
            m["groups"]["walk_one"], name=walk_name, n=count(m, n), total=count(m, record_n)
        )
    rows = [
        None
        if j is None
        else FrequencyRow(facts.faces[j], analysis.counts[j], analysis.counts[j] / n)
        for j in facts.face_rows
    ]
    return Counts(
        words=Words(m["s1"], "s1"),
        walk_note=walk_note,
        rows=rows,
        any_zero=any(c == 0 for c in analysis.counts),
        likelihood=eq["likelihood"],
        lesson=eq["3.6"],
        at_mle=eq["3.6_value"],
    )


@dataclass(frozen=True)
class CheckRow:
    """One face of the lesson's ✔ table of the first throw: its label, ✔ or not, and t_k."""

    face: int | str
    seen: bool
    t: int


@dataclass(frozen=True)
class OneThrow:
    """Sections 2 and 3: the first throw as the ✔ table and t, then (4.1) worked for it."""

    words: Words  # s2
    eq41_words: Words  # s3
    intro: Markup
    check: list[CheckRow | None]  # None = ⋮
    then: Markup
    reading: Markup
    eq41: Equation
    worked_intro: Markup
    worked: Equation
    elided: Markup | None
    result: Markup


def one_throw(
    analysis: Analysis,
    facts: Facts,
    m: dict[str, Any],
    eq: Mapping[str, Equation],
    walk_name: str | None = None,
) -> OneThrow | None:
    """Sections 2–3 for the log's first throw (with ``--by``, the walked die's); ``None`` for
    a frequency table (no first throw)."""
    first, face = facts.first_throw, facts.first_face
    if first is None:
        return None
    s2, s3 = m["s2"], m["s3"]
    check = [
        None if j is None else CheckRow(facts.faces[j], j == first.k, int(j == first.k))
        for j in visible(facts.k, (first.k,))
    ]
    lesson_face = fill(s3["lesson_face"], face=face) if face != facts.faces[0] else ""
    return OneThrow(
        words=Words(s2, "s2"),
        eq41_words=Words(s3, "s3"),
        intro=fill(s2["intro_walk"], face=face, name=walk_name)
        if walk_name is not None
        else fill(s2["intro"], face=face),
        check=check,
        then=fill(s2["then"], k=first.k + 1),
        reading=fill(s2["reading"], k=first.k + 1, y=fmt_number(analysis.mle[first.k])),
        eq41=eq["4.1"],
        worked_intro=fill(s3["worked"], face=face, lesson=lesson_face),
        worked=eq["4.1_worked"],
        elided=fill(s3["elided"], k=facts.k) if facts.k > 6 else None,
        result=fill(s3["result"], k=first.k + 1, value=fmt_number(0 - first.value)),
    )


@dataclass(frozen=True)
class General:
    """Section 4: (4.2), the same for K faces (a note first when the log has no throw order)."""

    no_throws: Markup | None
    heading: Markup
    intro: Markup
    equation: Equation
    here: Markup


def general(facts: Facts, m: dict[str, Any], eq: Mapping[str, Equation]) -> General:
    s4, k = m["s4"], facts.k
    six = k in (6, 2)  # the lesson's own wording for a d6 (and a coin's overlay)
    return General(
        no_throws=None if facts.first_throw else Markup(m["s2"]["no_throws"]),
        heading=Markup(s4["heading"]) if six else fill(s4["heading_k"], k=k),
        intro=Markup(s4["intro"]) if six else fill(s4["intro_k"], k=k),
        equation=eq["4.2"],
        here=fill(s4["here"], k=k),
    )


@dataclass(frozen=True)
class OneSample:
    """Section 5: (4.3), the cross-entropy of one sample, and the source's misprint."""

    words: Words  # s5
    equation: Equation
    misprint: Equation
    first: Markup | None
    binary: Equation | None  # a coin: the binary cross-entropy


def one_sample(
    analysis: Analysis, facts: Facts, m: dict[str, Any], eq: Mapping[str, Equation]
) -> OneSample:
    first = facts.first_throw
    value = None
    if first is not None:
        value = fill(
            m["s5"]["first"], k=first.k + 1, value=fmt_number(first.value), unit=facts.unit_name
        )
    return OneSample(
        words=Words(m["s5"], "s5"),
        equation=eq["4.3"],
        misprint=eq["4.3_typo"],
        first=value,
        binary=eq["binary"] if facts.coin else None,
    )


@dataclass(frozen=True)
class ThrowRow:
    """One of the first throws: its number, face, the face's number k, one-hot t and E."""

    throw: int
    face: int | str
    k: int
    t: list[int]
    value: float


@dataclass(frozen=True)
class FaceTerm:
    """One face in the sum (4.3): n_k, ŷ_k, −log ŷ_k, n_k · (−log ŷ_k) and under the model."""

    face: int | str
    n_k: int
    y: float
    minus_log_y: float
    term: float
    model_term: float


@dataclass(frozen=True)
class HeldOut:
    """Section 6's held-out throws: three fits of the first throws scored on the rest."""

    train: int
    first: int  # the first test throw
    intro: Markup
    rows: list[tuple[Markup, float]]  # (the fit, its mean cross-entropy per test throw)
    after: Markup


def held_out(analysis: Analysis, facts: Facts, m: dict[str, Any]) -> HeldOut | None:
    """Fit on the first half, score the second (``analysis.holdout``); None for short or
    unordered logs."""
    from reportgen.analysis import holdout

    found = holdout.of(analysis)
    if found is None:
        return None
    s6, train = m["s6"], found.train
    names = {
        "mle": fill(s6["holdout_mle"], train=count(m, train)),
        "laplace": fill(s6["holdout_laplace"], train=count(m, train)),
        "model": facts.model_name,
    }
    after = fill(s6["holdout_best_same" if found.best == "mle" else "holdout_best"],
                 best=names[found.best], train=count(m, train))  # fmt: skip
    if found.unseen_then_seen:
        faces = ", ".join(str(facts.faces[j]) for j in found.unseen_then_seen)
        after = fill(s6["holdout_infinite"], faces=faces, train=count(m, train))
    elif analysis.n >= NOISY_SPLIT and not found.decisive:  # a difference within its noise
        after = _held_out_close(found, names, m)
    elif found.best != "mle":  # the fit lost: say why
        after += m["sentence_gap"] + fill(s6["holdout_why"], train=count(m, train))
    if analysis.n < NOISY_SPLIT:
        after += m["sentence_gap"] + s6["holdout_noisy"]
    return HeldOut(
        train=train,
        first=train + 1,
        intro=_held_out_intro(analysis, found, facts, m),
        rows=[
            (names["mle"], found.mle),
            (names["laplace"], found.laplace),
            (facts.model_short, found.model),
        ],  # fmt: skip
        after=after,
    )


def _held_out_close(found: Holdout, names: dict[str, Markup], m: dict[str, Any]) -> Markup:
    """The best fit and the runner-up, within twice the standard error of their difference."""
    best, second = found.ranked[:2]
    unit = m["units"][found.unit]
    gap = getattr(found, second) - getattr(found, best)
    return fill(m["s6"]["holdout_close"], best=names[best], second=names[second],
                gap=fmt_number(gap), se=fmt_number(found.gap_se), unit=unit,
                test=count(m, found.test))  # fmt: skip


def _held_out_intro(analysis: Analysis, found: Any, facts: Facts, m: dict[str, Any]) -> Markup:
    """Why and where the throws are split, and (up to ``WIDE`` faces) each half's counts,
    so every figure of the held-out table can be checked from the page."""
    s6, train, n = m["s6"], found.train, analysis.n
    parts = [fill(s6["holdout_intro"], train=count(m, train), test=count(m, found.test))]
    if train != n // 2:
        parts.append(fill(s6["holdout_off_half"], train=count(m, train), half=count(m, n // 2)))
    if facts.k <= WIDE:
        parts.append(
            fill(
                s6["holdout_counts"],
                faces=", ".join(clean(str(face)) for face in facts.faces),
                train=count(m, train),
                first=count(m, train + 1),
                n=count(m, n),
                train_counts=", ".join(count(m, c) for c in found.train_counts),
                test_counts=", ".join(count(m, c) for c in found.test_counts),
            )
        )
    return Markup(m["sentence_gap"]).join(parts)


@dataclass(frozen=True)
class WholeLog:
    """Section 6: the one-hot table, the terms per face, the totals, why the MLE is least."""

    words: Words  # s6
    ml_words: Words  # s5: the bridge to machine learning, placed after the mean of E_i
    throws: list[ThrowRow]
    t_columns: list[int]
    more: int
    per_face: list[FaceTerm | None]  # in ``Facts.face_rows`` order; None = ⋮
    fitted_total: float
    fitted_mean: float
    reference_total: float
    reference_mean: float
    kl: float
    entropy: Markup
    infinite: Markup | None
    total: Equation
    softmax: Equation
    sigmoid: Equation | None
    smoothing: Markup
    held_out: HeldOut | None
    gibbs_equation: Equation
    gibbs: Markup
    running: Figure | None


def whole_log(
    analysis: Analysis,
    facts: Facts,
    m: dict[str, Any],
    eq: Mapping[str, Equation],
    running: Figure | None,
) -> WholeLog:
    s6, unit = m["s6"], facts.unit_name
    fitted, reference = analysis.cross_entropy, analysis.reference
    infinite = [str(facts.faces[j]) for j in analysis.infinite_indices]
    return WholeLog(
        words=Words(s6, "s6"),
        ml_words=Words(m["s5"], "s5"),
        throws=_throws(analysis),
        t_columns=list(range(1, facts.k + 1)) if facts.k <= WIDE else [],
        more=analysis.n - facts.shown if analysis.log.format == "log" else 0,
        per_face=_per_face(analysis, facts),
        fitted_total=fitted.total,
        fitted_mean=fitted.mean,
        reference_total=reference.total,
        reference_mean=reference.mean,
        kl=analysis.kl_divergence,
        entropy=fill(s6["entropy"], entropy=fmt_number(analysis.entropy), unit=unit),
        infinite=fill(m["model"]["infinite"], faces=", ".join(infinite)) if infinite else None,
        total=eq["total"],
        softmax=eq["softmax"],
        sigmoid=eq["sigmoid"] if facts.coin else None,
        smoothing=_smoothing(analysis, facts, m),
        held_out=held_out(analysis, facts, m),
        gibbs_equation=eq["gibbs"],
        gibbs=fill(
            s6["gibbs"],
            model=facts.model_name,
            kl=fmt_number(analysis.kl_divergence),
            extra=fmt_number(reference.total - fitted.total),
            unit=unit,
        ),  # fmt: skip
        running=running,
    )


def _throws(analysis: Analysis) -> list[ThrowRow]:
    """The first throws' rows of the one-hot table (t only up to ``WIDE`` faces)."""
    k = analysis.k
    return [
        ThrowRow(
            throw=throw.throw,
            face=analysis.faces[throw.k],
            k=throw.k + 1,
            t=list(throw.t) if k <= WIDE else [],
            value=throw.value,
        )
        for throw in analysis.first_throws[:SHOWN_THROWS]
    ]


def _per_face(analysis: Analysis, facts: Facts) -> list[FaceTerm | None]:
    fitted = analysis.cross_entropy
    terms = entropy.terms(analysis.counts, fitted.per_face)
    model_terms = entropy.terms(analysis.counts, analysis.reference.per_face)
    return [
        None
        if j is None
        else FaceTerm(
            facts.faces[j],
            analysis.counts[j],
            fitted.y[j],
            fitted.per_face[j],
            terms[j],
            model_terms[j],
        )  # fmt: skip
        for j in facts.face_rows
    ]


def _smoothing(analysis: Analysis, facts: Facts, m: dict[str, Any]) -> Markup:
    """The paragraph on faces never seen: Laplace's (n_k + 1)/(N + K) and what it gives them."""
    s6, gap = m["s6"], m["sentence_gap"]
    n, k = analysis.n, analysis.k
    shown = visible(k) if k > 6 else list(range(k))
    smoothed = ", ".join(
        "…" if j is None else fmt_number((analysis.counts[j] + 1) / (n + k), 4) for j in shown
    )
    text = fill(s6["zero"], smoothed=smoothed)
    unseen = [clean(str(f)) for f, c in zip(facts.faces, analysis.counts, strict=True) if c == 0]
    if unseen:
        names = unseen if len(unseen) <= 10 else [*unseen[:10], "…"]
        text += gap + fill(
            s6["zero_unseen"], faces=", ".join(names), smoothed_zero=fmt_number(1 / (n + k))
        )
    if all(abs((c + 1) / (n + k) - c / n) < 1e-3 for c in analysis.counts):
        text += gap + fill(s6["zero_tiny"], n=count(m, n))
    return text
