"""The lesson report's page data: a ``Page`` of typed sections, built once from an ``Analysis``.

``page(record, render)`` returns a frozen ``Page`` whose fields are the
variables of ``templates/report.html.j2`` (``Page.variables()``): ``facts``
(what every section may show), then one object a section (``pages.lesson``,
``pages.inference``, ``pages.groups``), each carrying its own words
(``render.words.Words``). Figures stay unrounded; the templates reach numbers
for people only through the filters of ``catalogue.FILTERS``.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from reportgen import __version__
from reportgen.analysis.estimate import SIMULTANEOUS
from reportgen.printable import clean
from reportgen.render import latex, plots
from reportgen.render.catalogue import fill, messages, plain, stylesheet
from reportgen.render.dates import stamp
from reportgen.render.layout import HEAD, MANY, TAIL, WIDE, rows
from reportgen.render.pages import groups, inference, lesson, rebuild
from reportgen.render.pages.sections import SHARED_WORDS, Facts
from reportgen.render.wording import few, model_name
from reportgen.render.words import Words

if TYPE_CHECKING:
    from reportgen.analysis import Analysis
    from reportgen.options import RenderOptions

#: Hex digits of the input's SHA-256 printed in the colophon.
SHA_PREFIX = 12


@dataclass(frozen=True)
class Head:
    """The document's head and title block: language, title, metadata, stylesheet, byline."""

    lang: str
    title: Markup
    description: Markup
    version: str
    author: str | None
    date: str
    css: Markup
    byline: Markup
    toc: Markup


@dataclass(frozen=True)
class Colophon:
    """Where the lesson comes from, the command that makes this report again, and its facts."""

    words: Words
    command: str
    facts: list[tuple[Markup, str]]


@dataclass(frozen=True)
class Page:
    """Every variable of ``report.html.j2``, one a section."""

    head: Head
    thousands: str  # how counts group their thousands (the ``count`` filter reads it)
    facts: Facts
    about: groups.About
    groups: groups.Groups | None
    counts: lesson.Counts
    one_throw: lesson.OneThrow | None
    general: lesson.General
    cross_entropy: lesson.OneSample
    whole_log: lesson.WholeLog
    estimates: inference.Estimates
    fairness: inference.Fairness
    exercises: inference.Exercises
    appendix: inference.Appendix
    answers: inference.Answers | None  # None: --no-answers
    colophon: Colophon

    def variables(self) -> dict[str, Any]:
        """The fields as the template's variables (shallow: sections stay typed)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


def page(record: Analysis, render: RenderOptions) -> Page:
    """The page data of one report (``record``: the whole log; its walked die for ``--by``)."""
    walk = record.groups_verdict.walk if record.groups_verdict else None
    analysis = record.groups[walk] if walk is not None else record
    walk_name = None if walk is None else clean(str(walk))
    m = messages(render.lang, coin=analysis.k == 2)
    facts = _facts(analysis, render, m)
    unit_name = plain(facts.unit_name)
    eq = latex.report_equations(analysis)
    # Numbered in order of appearance: with --by, the dice come first.
    figures = plots.report_figures(record, render, m, unit_name, names=("groups",))
    figures |= plots.report_figures(
        analysis,
        render,
        m,
        unit_name,
        names=("running", "curve", "bars", "yardstick"),
        first_number=len(figures) + 1,
    )
    return Page(
        head=_head(record, analysis, render, m),
        thousands=facts.thousands,
        facts=facts,
        about=groups.about(record, facts, m, walk_name),
        groups=groups.groups(record, facts, m, figures.get("groups")),
        counts=lesson.counts(analysis, facts, m, eq, walk_name, record.n),
        one_throw=lesson.one_throw(analysis, facts, m, eq, walk_name),
        general=lesson.general(facts, m, eq),
        cross_entropy=lesson.one_sample(analysis, facts, m, eq),
        whole_log=lesson.whole_log(analysis, facts, m, eq, figures.get("running")),
        estimates=inference.estimates(analysis, facts, m, eq, figures["bars"], figures["curve"]),
        fairness=inference.fairness(analysis, facts, m, eq, walk_name, figures.get("yardstick")),
        exercises=inference.exercises(analysis, facts, m, render.answers),
        appendix=inference.appendix(analysis, facts, m),
        answers=inference.answers(analysis, facts, m) if render.answers else None,
        colophon=_colophon(record, analysis, facts, m, render),
    )


def _facts(analysis: Analysis, render: RenderOptions, m: dict[str, Any]) -> Facts:
    k = analysis.k
    first = analysis.first_throws[0] if analysis.first_throws else None
    fair = analysis.options.model.fair
    name = model_name(analysis, m)
    return Facts(
        words=Words({key: m[key] for key in SHARED_WORDS}),
        n=analysis.n,
        k=k,
        faces=analysis.faces,
        unit=analysis.options.unit,
        unit_name=m["units"][analysis.options.unit],
        confidence=analysis.options.confidence,
        interval=render.interval,
        interval_name=m["intervals"][render.interval],
        wide=k > WIDE,
        many=k > MANY,
        coin=k == 2,
        model_name=name,
        model_short=name if fair else Markup(m["models"]["given_short"]),
        first_throw=first,
        first_face=analysis.faces[first.k] if first else None,
        shown=min(len(analysis.first_throws), lesson.SHOWN_THROWS),
        face_rows=rows(k, [first.k] if first else []),
        face_rows_head=HEAD,
        face_rows_tail=TAIL,
        simultaneous=list(SIMULTANEOUS) if k > 2 else [],
    )


def _head(record: Analysis, analysis: Analysis, render: RenderOptions, m: dict[str, Any]) -> Head:
    title = m["meta"]["title"]
    if record.groups:  # several dice
        title = fill(m["meta"]["title_groups"], groups=few(m, len(record.groups)))
    if not record.options.model.fair:  # --model: the pages test the die against it
        title = fill(m["meta"]["title_model"], title=title)
    return Head(
        lang=render.lang,
        title=title,
        description=m["meta"]["description"],
        version=__version__,
        author=render.author,
        date=stamp(),
        css=Markup(stylesheet(render.lang)),
        # a file or column name may hold any character
        byline=fill(m["footer"]["made"], version=__version__, source=clean(analysis.log.name)),
        toc=m["toc"]["heading"],
    )


def _colophon(
    record: Analysis, analysis: Analysis, facts: Facts, m: dict[str, Any], render: RenderOptions
) -> Colophon:
    """The colophon's facts as (label, value) pairs, in the order the page shows them."""
    from reportgen.render.numbers import fmt_percent
    from reportgen.render.wording import count

    about, log = m["about"], analysis.log
    pairs: list[tuple[Markup, str]] = []
    if render.author:
        pairs.append((about["author"], render.author))
    pairs.append((about["input"], clean(log.name)))
    pairs.append((about["format"], about["formats"][log.format]))
    column = clean(log.column) if log.column is not None else about["no_column"]
    pairs.append((about["column"], column))
    shown_n = count(m, record.n)
    if record.groups:  # "600 (white 300, red 300)", in the catalogue's words
        per_die = m["list_separator"].join(
            fill(about["n_group"], name=clean(str(name)), n=count(m, g.n))
            for name, g in record.groups.items()
        )
        shown_n = fill(about["n_groups"], n=shown_n, groups=per_die)
    pairs.append((about["n"], shown_n))
    pairs.append((about["k"], str(facts.k)))
    pairs.append((fill(about["sha256"], digits=SHA_PREFIX), log.sha256[:SHA_PREFIX]))
    pairs.append((about["model"], facts.model_name))
    pairs.append((about["confidence"], fmt_percent(facts.confidence)))
    return Colophon(Words(m["source"], "source"), rebuild.command(record, render), pairs)
