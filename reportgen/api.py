"""The Python API: ``reportgen.analyse(source, **options)``.

The command line is a thin layer over this function; a notebook or a script
calls it directly, with a path, an open file, a pandas Series or DataFrame of
throws, or a mapping of counts, and gets the same ``Analysis`` the command
line renders.

>>> import reportgen
>>> result = reportgen.analyse([4, 2, 6, 1, 4, 3, 5, 2, 4, 6])
>>> result.n, result.counts
(10, (1, 2, 1, 3, 1, 2))
>>> result.mle[3]
0.3
>>> round(result.cross_entropy.total, 6)
16.957425
>>> reportgen.analyse({"H": 7, "T": 3}, faces="H,T").intervals["exact"].low[0]  # doctest: +ELLIPSIS
0.3475...
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from reportgen.analysis import Analysis
from reportgen.analysis import analyse as _analyse
from reportgen.errors import UsageError
from reportgen.faces import Faces, parse_faces
from reportgen.ingest import RollLog, read
from reportgen.options import Options

#: What ``source`` may be, in words, for the error message.
_SOURCES = "a path, a file, a pandas Series or DataFrame, a list of throws or a mapping of counts"


def make_options(
    *,
    faces: int | str | Sequence[int | str] = 6,
    column: str | None = None,
    by: str | None = None,
    counts: bool = False,
    encoding: str | None = None,
    confidence: float = 0.95,
    interval: str = "wilson",
    model: str | Sequence[float] = "fair",
    unit: str = "nat",
    lang: str = "en",
    author: str | None = None,
) -> Options:
    """Validated ``Options`` from the keyword arguments of ``analyse`` (the CLI's options).

    ``faces`` is a number K, a ``--faces`` string such as ``"H,T"``, or a
    sequence of labels; ``model`` is ``"fair"`` or K probabilities.
    """
    if isinstance(faces, str | int):
        parsed: Faces = parse_faces(faces)
    else:
        parsed = parse_faces(",".join(str(face) for face in faces))
    if not isinstance(model, str):
        model = ",".join(repr(float(y)) for y in model)
    if isinstance(confidence, int) and not isinstance(confidence, bool):
        confidence = float(confidence)
    return Options(
        faces=parsed,
        column=column,
        by=by,
        counts=counts,
        encoding=encoding,
        confidence=confidence,
        interval=interval,
        model=model,
        unit=unit,
        lang=lang,
        author=author,
    )


def analyse(
    source: Any, *, name: str | None = None, options: Options | None = None, **kwargs: Any
) -> Analysis:
    """Analyse one roll log or frequency table and return every figure of the report.

    Parameters
    ----------
    source : path, file, pandas object, sequence or mapping
        A CSV/TSV path (``.gz`` too) or ``"-"`` for standard input; an open
        binary or text file; a pandas ``Series`` of throws (or of counts with
        ``counts=True``); a ``DataFrame`` whose face column is found as in a CSV
        (``column=``, ``by=`` work as on the command line); a sequence of throws;
        or a mapping face → count.
    name : str, optional
        How the report names an in-memory source (default ``<memory>``).
    options : Options, optional
        Ready-made options (as the command line builds them), instead of keywords.
    **kwargs
        The command line's options: ``faces``, ``column``, ``by``, ``counts``,
        ``encoding``, ``confidence``, ``interval``, ``model``, ``unit``, ``lang``,
        ``author``.

    Returns
    -------
    Analysis
        Immutable; its fields are those of the JSON results, and it renders
        itself with ``to_json()``, ``to_html()``, ``to_pdf()``, ``to_dict()``.

    Raises
    ------
    ReportgenError
        ``UsageError`` for a bad option, ``DataError`` for bad data, with the
        message and hint the command line prints.
    """
    if options is not None and kwargs:
        raise UsageError("give either options= or keyword options, not both")
    opts = options if options is not None else make_options(**kwargs)
    return _analyse(load(source, opts, name=name), opts)


def load(source: Any, opts: Options, *, name: str | None = None) -> RollLog:
    """The ``RollLog`` of any source ``analyse`` accepts."""
    from reportgen import frames

    label = name or "<memory>"
    if isinstance(source, RollLog):
        return source
    if isinstance(source, str | os.PathLike):
        return read(source, opts)
    if isinstance(source, io.IOBase) or hasattr(source, "read"):
        return _from_file(source, opts, name)
    kind = type(source).__module__.split(".")[0]
    if kind == "pandas":
        return _from_pandas(source, opts, label)
    if isinstance(source, Mapping):
        return frames.from_counts(source, opts.faces, source=label)
    if isinstance(source, Iterable) and not isinstance(source, bytes | bytearray):
        return frames.from_throws(source, opts.faces, source=label)
    raise UsageError(f"cannot analyse a {type(source).__name__}: give {_SOURCES}")


def _from_file(handle: Any, opts: Options, name: str | None) -> RollLog:
    """An open file goes through the same reader as a path, via a private temporary copy."""
    data = handle.read()
    if isinstance(data, str):
        data = data.encode(opts.encoding or "utf-8")
    label = name or getattr(handle, "name", None) or "<file>"
    with tempfile.TemporaryDirectory(prefix="reportgen-") as folder:
        path = os.path.join(folder, "input")
        with open(path, "wb") as copy:
            copy.write(data)
        log = read(path, opts)
    return _renamed(log, str(label))


def _from_pandas(source: Any, opts: Options, label: str) -> RollLog:
    from reportgen import frames

    if hasattr(source, "columns"):  # a DataFrame: write it as the CSV it stands for
        buffer = io.StringIO()
        source.to_csv(buffer, index=False)
        return _from_file(io.BytesIO(buffer.getvalue().encode("utf-8")), opts, label)
    if opts.counts:
        return frames.from_counts(dict(source.items()), opts.faces, source=label)
    log = frames.from_throws(source.tolist(), opts.faces, source=label)
    column = source.name if isinstance(source.name, str) else None
    return _renamed(log, label, column=column)


def _renamed(log: RollLog, source: str, **changes: Any) -> RollLog:
    from dataclasses import replace

    groups = tuple((g, replace(sub, source=source, **changes)) for g, sub in log.groups)
    return replace(log, source=source, groups=groups, **changes)
