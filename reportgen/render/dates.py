"""When a document was made: ``SOURCE_DATE_EPOCH`` if set (reproducible builds), else now.

A process that makes reports for others (a Dask worker, alive for days, serving
many runs) is told the run's date instead (``pinned``): every report of one run
carries the date the run was started with, wherever it is made.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import functools
import os
from collections.abc import Iterator

#: The date ``pinned`` set for this thread's (context's) reports, if any.
_PINNED: contextvars.ContextVar[dt.datetime | None] = contextvars.ContextVar(
    "reportgen_build_date", default=None
)


def build_date() -> dt.datetime:
    """When the report was made: the pinned date, else ``SOURCE_DATE_EPOCH`` if set
    (reproducible builds), else now.

    "Now" is taken once per process, so the HTML and the PDF of one run, and
    the reports of one batch, carry the same date.
    """
    pinned = _PINNED.get()
    if pinned is not None:
        return pinned
    return _build_date(os.environ.get("SOURCE_DATE_EPOCH", "").strip())


@functools.cache
def _build_date(epoch: str) -> dt.datetime:
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    return dt.datetime.now(tz=dt.UTC).replace(microsecond=0)


@contextlib.contextmanager
def pinned(date: dt.datetime) -> Iterator[None]:
    """Inside the block (in this thread), ``build_date`` is ``date``: the run's, not this
    process's."""
    token = _PINNED.set(date)
    try:
        yield
    finally:
        _PINNED.reset(token)


def stamp() -> str:
    """``build_date`` as the pages' metadata write it (ISO 8601, UTC)."""
    return build_date().strftime("%Y-%m-%dT%H:%M:%SZ")
