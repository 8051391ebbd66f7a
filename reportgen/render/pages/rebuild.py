"""The command that makes a report again: ``reportgen NAME`` and every option that changed it.

The colophon prints it, so a teacher who finds the PDF attached to a lesson
can rebuild it (or the worksheet) from the same file. The input is named as
the page names it (``RollLog.name``: the file's name without its
directories), so the command, like the page, is the same however the path was
typed. Options left at their defaults are left out; ``-f`` too (PDF is the
default, and the HTML shows the same pages).
"""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING

from reportgen.options import DEFAULT_SEED
from reportgen.printable import clean
from reportgen.read.layout import FACE_NAMES

if TYPE_CHECKING:
    from reportgen.analysis import Analysis
    from reportgen.options import RenderOptions


def command(record: Analysis, render: RenderOptions) -> str:
    """``reportgen rolls.csv --lang ja …``: the whole log's record and the page's options."""
    log, stats = record.log, record.options
    # a name that starts with "-" would read as an option
    name = f"./{log.name}" if log.name.startswith("-") else log.name
    words = ["reportgen", name, *_faces(record.faces)]
    if log.column is not None and log.column.strip().casefold() not in FACE_NAMES:
        words += _option("--column", log.column)
    if log.by is not None:
        words += _option("--by", log.by)
    if stats.walk is not None:
        words += _option("--walk", stats.walk)
    if log.format == "counts":
        words.append("--counts")
    if not stats.model.fair:
        words += _option("--model", stats.model.name)
    if stats.confidence != 0.95:
        words += _option("--confidence", repr(stats.confidence))
    if stats.unit != "nat":
        words += _option("--unit", stats.unit)
    if stats.seed != DEFAULT_SEED:
        words += _option("--seed", str(stats.seed))
    return clean(shlex.join(words + _render(render)))


def _option(name: str, value: str) -> list[str]:
    """``--name value``, or ``--name=value`` when the value would read as an option."""
    return [f"{name}={value}"] if value.startswith("-") else [name, value]


def _faces(faces: tuple[int | str, ...]) -> list[str]:
    if list(faces) == list(range(1, len(faces) + 1)):
        return [] if len(faces) == 6 else _option("--faces", str(len(faces)))
    return _option("--faces", ",".join(str(face) for face in faces))


def _render(render: RenderOptions) -> list[str]:
    words = []
    if render.lang != "en":
        words += _option("--lang", render.lang)
    if render.interval != "wilson":
        words += _option("--interval", render.interval)
    if not render.answers:
        words.append("--no-answers")
    if render.author:
        words += _option("--author", render.author)
    return words
