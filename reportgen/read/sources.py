"""Which files an invocation reads, and their bytes as a whole.

- ``expand_inputs``: directories become their logs (``LOG_PATTERNS``, sorted);
  files and ``-`` stay as given; an fsspec URL of a folder (``file://…``,
  ``s3://…``) is listed (names only, no data read) into its logs' URLs.
  ``expand`` also resolves glob patterns, as a Dask worker sees them.
- ``concatenated_sha256``: the digest of several parts one after another, as
  ``--combine`` names its input.
"""

from __future__ import annotations

import glob
import hashlib
import os
from collections.abc import Sequence
from pathlib import Path

from reportgen.errors import InputError, ReportgenError
from reportgen.read.text import check_protocol, is_url, open_binary

#: File name patterns a directory input expands to.
LOG_PATTERNS = ("*.csv", "*.tsv", "*.csv.gz", "*.tsv.gz")

_NO_LOGS = "directory holds no *.csv, *.tsv or *.csv.gz logs"


def expand_inputs(inputs: Sequence[str]) -> list[str]:
    """Directories (and folder URLs) become their logs (sorted); files and ``-`` stay as given.

    A URL whose protocol has no fsspec package here is a ``UsageError`` naming it (exit 2).
    """
    expanded: list[str] = []
    for item in inputs:
        path = Path(item)
        if is_url(item):
            expanded.extend(_expand_url(item))
        elif item != "-" and path.is_dir():
            found = sorted({str(p) for pattern in LOG_PATTERNS for p in path.glob(pattern)})
            if not found:
                raise InputError(_NO_LOGS, path=item)
            expanded.extend(found)
        else:
            expanded.append(item)
    return expanded


def expand(inputs: Sequence[str]) -> list[str]:
    """Directories and glob patterns become their log files, sorted; URLs are resolved too."""
    found: list[str] = []
    for item in inputs:
        if is_url(item):
            found.extend(_expand_url(item))
        elif glob.has_magic(item) and not os.path.exists(item):
            matches = sorted(glob.glob(item))
            if not matches:
                raise InputError("no file matches this pattern", path=item)
            found.extend(expand_inputs(matches))
        else:
            found.extend(expand_inputs([item]))
    return found


def _expand_url(item: str) -> list[str]:
    import fnmatch

    import fsspec

    check_protocol(item, f"{item}: reading")
    try:
        fs, path = fsspec.core.url_to_fs(item)
    except (ImportError, ValueError) as exc:
        raise InputError(
            f"cannot open ({exc})", path=item, hint="install that filesystem's fsspec package"
        ) from None
    if glob.has_magic(path):
        matches = sorted(fs.glob(path))
        if not matches:
            raise InputError("no file matches this pattern", path=item)
        found: list[str] = []
        for match in matches:
            found.extend(_expand_url(fs.unstrip_protocol(match)))
        return found
    if not fs.isdir(path):
        return [item]
    names = sorted(
        name.rstrip("/").rsplit("/", 1)[-1]
        for name in fs.ls(path, detail=False)
        if any(fnmatch.fnmatch(name.rsplit("/", 1)[-1], p) for p in LOG_PATTERNS)
    )
    if not names:
        raise InputError(_NO_LOGS, path=item)
    return [item.rstrip("/") + "/" + name for name in names]


def concatenated_sha256(parts: Sequence[str]) -> str:
    """SHA-256 of the parts' stored bytes one after another (``cat PART... | sha256sum``).

    A part that names a URL is opened as the reader opens it (``text.open_binary``).
    A part that cannot be read ends the digest there: reading the part reports the
    problem, and a failed ``--combine`` has no digest to show.
    """
    digest = hashlib.sha256()
    for part in parts:
        try:
            with open_binary(part) as handle:
                while data := handle.read(1 << 20):
                    digest.update(data)
        except (OSError, ReportgenError):
            break
    return digest.hexdigest()
