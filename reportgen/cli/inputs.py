"""What the run reads, one ``Item`` a student: files, workbooks' sheets, ``--split-by`` parts.

``items(spec, sources)`` turns the inputs the engine found into items, each
with the source it is read from, the name the pages give it (a file's stem, a
sheet's name, a group's value) and the stem of its output files (unique in the
run). With ``--split-by NAME`` each input is read here, once
(``read.load_split``), and each value of column NAME becomes an item of its
own that carries its ``RollLog`` (or the error of its rows), named
``export.csv[NAME=value]``: the one pipeline then makes its outputs from that
log, as ``--combine`` hands its merged log in.

``notes`` are the lines that name what a directory or a workbook holds and is
not read (``reportgen: note: class/note.pdf: not read (…)``).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from reportgen.errors import ReportgenError
from reportgen.read.log import RollLog, default_name
from reportgen.read.sources import Input, file_stem, is_url, short_name
from reportgen.read.workbook import split_source
from reportgen.say import _

if TYPE_CHECKING:
    from reportgen.cli.args import RunSpec
    from reportgen.read.sources import Skipped


@dataclass(frozen=True)
class Item:
    """One input of the run: where it is read, how its pages and files name it.

    Attributes
    ----------
    source : str
        A path, ``-``, a URL, a sheet ``book.xlsx[sheet]``, or a ``--split-by``
        part ``export.csv[NAME=value]``: how status lines, ``--summary`` and the
        manifest name it.
    name : str
        How pages name the student: a file's stem, a sheet's name, a value.
    stem : str
        The stem of its output files.
    log : RollLog or None
        Its log, read already (a ``--split-by`` part): the pipeline does not read it.
    error : ReportgenError or None
        Why it cannot be reported (its rows failed): its outcome without any work.
    """

    source: str
    name: str
    stem: str
    log: RollLog | None = field(default=None, repr=False, compare=False)
    error: ReportgenError | None = field(default=None, compare=False)


def from_input(item: Input) -> Item:
    """A listed input as an item (``read.sources.list_inputs``)."""
    return Item(item.source, short_name(item.name, item.source), item.stem)


def from_sources(sources: Sequence[str]) -> list[Item]:
    """Items of sources an engine expanded elsewhere (Dask): a sheet keeps its name."""
    found = []
    for source in sources:
        path, sheet = ("", None) if source == "-" else split_source(source)
        if sheet is not None:
            found.append(Item(source, sheet, sheet))
        else:
            found.append(Item(source, short_name(default_name(source), source), file_stem(source)))
    return unique(found)


def split(items: Sequence[Item], spec: RunSpec) -> list[Item]:
    """Each item's rows split by ``--split-by``: one item a value, in order of first appearance.

    An input that cannot be split (no such column, bytes that are not text)
    stays one item carrying its error; a value whose rows failed is an item
    carrying its first error, the others carry their logs.
    """
    from reportgen.read import load_split

    column = spec.split_by
    assert column is not None
    found = []
    for item in items:
        try:
            parts = load_split(item.source, spec.options.read, column)
        except ReportgenError as exc:
            found.append(replace(item, error=exc))
            continue
        found.extend(
            Item(
                f"{item.source}[{column}={part.value}]", part.value, part.stem, part.log, part.error
            )
            for part in parts
        )
    return unique(found)


def unique(items: Sequence[Item]) -> list[Item]:
    """Items whose stems are unique in the run, ignoring case (``-2``, ``-3`` added): two
    workbooks' sheets, or two exports' values, of one name. A file keeps its stem (two files
    of one name are refused, as before, when their outputs meet)."""
    used = {item.stem.casefold() for item in items if _is_file(item)}
    found = []
    for item in items:
        if _is_file(item):
            found.append(item)
            continue
        stem, n = item.stem, 1
        while stem.casefold() in used:
            n += 1
            stem = f"{item.stem}-{n}"
        used.add(stem.casefold())
        found.append(replace(item, stem=stem))
    return found


def _is_file(item: Item) -> bool:
    return item.log is None and item.error is None and split_source(item.source)[1] is None


def located(source: str) -> tuple[str, str]:
    """The file a source is read from, and what names the source inside it.

    A sheet (``book.xlsx[佐藤]``) and a ``--split-by`` part
    (``export.csv[氏名=佐藤]``, ``book.xlsx[1組][氏名=佐藤]``) are read from a
    file: ``("book.xlsx", "[佐藤]")``. Anything else is its own file: ``(source, "")``.
    """
    if source == "-" or is_url(source) or os.path.lexists(source) or not source.endswith("]"):
        return source, ""
    for i, char in enumerate(source):
        if char == "[" and os.path.isfile(source[:i]):
            return source[:i], source[i:]
    return source, ""


def note(skipped: Skipped) -> str:
    """The line that names what an input holds and is not read."""
    return _("{path}: not read ({reason})", path=skipped.path, reason=skipped.reason)
