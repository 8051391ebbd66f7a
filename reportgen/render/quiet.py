"""Rendering keeps the libraries' own voices off stderr: reportgen's lines only.

matplotlib warns (with its source path) when long group names leave constrained
layout no room, WeasyPrint logs a warning per glyph missing from the fonts,
fontTools logs while it subsets fonts without libharfbuzz-subset. None of it is
the user's to act on, and it would break the promise that stderr holds
reportgen's lines only. ``quiet_libraries`` silences them for the duration of
one rendering: warnings through ``warnings.catch_warnings`` and the libraries'
loggers by level, restored on the way out; nothing is changed at import.
"""

from __future__ import annotations

import contextlib
import logging
import warnings
from collections.abc import Iterator

#: Loggers of the libraries that rendering calls (and everything below them).
LIBRARIES = (
    "weasyprint",
    "fontTools",
    "matplotlib",
    "PIL",
    "pydyf",
    "tinycss2",
    "cssselect2",
    "tinyhtml5",
    "ziamath",
    "ziafont",
)

#: Above every level a library logs at.
_SILENT = logging.CRITICAL + 1


@contextlib.contextmanager
def quiet_libraries() -> Iterator[None]:
    """No warning and no library log record reaches stderr inside the ``with`` block."""
    manager = logging.Logger.manager
    roots = [logging.getLogger(name) for name in LIBRARIES]
    levels = [(logger, logger.level) for logger in roots]
    # A logger below a root with its own level would not inherit the silence.
    below = [
        logger
        for name, logger in list(manager.loggerDict.items())
        if isinstance(logger, logging.Logger)
        and logger.level != logging.NOTSET
        and any(name.startswith(f"{root}.") for root in LIBRARIES)
    ]
    disabled = [(logger, logger.disabled) for logger in below]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for logger in roots:
            logger.setLevel(_SILENT)
        for logger in below:
            logger.disabled = True
        try:
            yield
        finally:
            for logger, level in levels:
                logger.setLevel(level)
            for logger, was in disabled:
                logger.disabled = was
