"""When a document was made: ``SOURCE_DATE_EPOCH`` if set (reproducible builds), else now."""

from __future__ import annotations

import datetime as dt
import functools
import os


def build_date() -> dt.datetime:
    """When the report was made: ``SOURCE_DATE_EPOCH`` if set (reproducible builds), else now.

    "Now" is taken once per process, so the HTML and the PDF of one run, and
    the reports of one batch, carry the same date.
    """
    return _build_date(os.environ.get("SOURCE_DATE_EPOCH", "").strip())


@functools.cache
def _build_date(epoch: str) -> dt.datetime:
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    return dt.datetime.now(tz=dt.UTC).replace(microsecond=0)


def stamp() -> str:
    """``build_date`` as the pages' metadata write it (ISO 8601, UTC)."""
    return build_date().strftime("%Y-%m-%dT%H:%M:%SZ")
