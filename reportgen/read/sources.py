"""Which files an invocation reads, and their bytes as a whole.

- ``list_inputs``: what the inputs hold: directories become their logs
  (``list_directory``: sorted, extensions in any case) and workbooks their
  sheets, each an ``Input`` with its name and output stem; what is not read
  (other files, hidden files, lock files, subdirectories, empty sheets) is
  listed as ``Skipped`` for the caller to name. ``expand_inputs`` keeps only
  the sources. An fsspec URL of a folder (``file://…``, ``s3://…``) is listed
  (names only, no data read) into its logs' URLs; ``expand`` also resolves glob
  patterns, as a Dask worker sees them.
- ``concatenated_sha256``: the digest of several parts one after another, as
  ``--combine`` names its input.
"""

from __future__ import annotations

import glob
import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reportgen.errors import InputError, ReportgenError
from reportgen.printable import clean
from reportgen.read.log import RollLog, default_name
from reportgen.read.opening import check_protocol, is_url, open_binary
from reportgen.read.split import unique_stems
from reportgen.read.workbook import (
    kind_of,
    list_sheets,
    sheet_source,
    workbook_stem,
)
from reportgen.say import _

#: File name patterns a directory input expands to (matched in any case: ``sato.CSV``).
LOG_PATTERNS = ("*.csv", "*.tsv", "*.txt", "*.xlsx", "*.csv.gz", "*.tsv.gz", "*.txt.gz")

#: The extensions of text logs (also gzip-compressed) and of workbooks, lower case.
TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
WORKBOOK_SUFFIXES = (".xlsx",)

_NO_LOGS = _("directory holds no logs (*.csv, *.tsv, *.txt, *.xlsx, optionally .gz)")

#: Why a file a directory holds is not read, by its (lower-case) extension.
_NOT_READ = {
    ".xls": _("an Excel 97-2003 workbook: save it as .xlsx"),
    ".ods": _("an OpenDocument spreadsheet: save it as .xlsx or CSV"),
    ".xlsx.gz": _("a compressed workbook: give the .xlsx itself"),
}


@dataclass(frozen=True)
class Input:
    """One input to read, as ``read.load`` takes it.

    Attributes
    ----------
    source : str
        A path, ``-``, a URL, or a workbook's sheet ``book.xlsx[sheet]``.
    name : str
        How pages name it, as its ``RollLog.name``: the file's name, the
        sheet's, or a one-sheet workbook's stem.
    stem : str
        The stem of its output files: the file's name without its extensions,
        or the sheet's name made a file name, unique within its workbook.
    """

    source: str
    name: str
    stem: str


@dataclass(frozen=True)
class Skipped:
    """Something an input holds that is not read, and why (``str``: one line for stderr)."""

    path: str
    reason: str

    def __str__(self) -> str:
        return str(_("{path}: not read ({reason})", path=self.path, reason=self.reason))


@dataclass(frozen=True)
class Inputs:
    """What the inputs hold: what to read, in order, and what is not read."""

    inputs: tuple[Input, ...]
    skipped: tuple[Skipped, ...]

    @property
    def sources(self) -> list[str]:
        return [item.source for item in self.inputs]


@dataclass(frozen=True)
class Listing:
    """A directory's logs (sorted paths) and what else it holds (``Skipped``)."""

    logs: tuple[str, ...]
    skipped: tuple[Skipped, ...]


def list_directory(directory: str) -> Listing:
    """The logs directly inside ``directory``, sorted by name, and what it holds besides.

    A log is a file named ``*.csv``, ``*.tsv``, ``*.txt`` (each optionally
    ``.gz``) or ``*.xlsx``, in any case (``sato.CSV``). Not read, each with
    why: hidden files (``.name``), Excel's lock files (``~$name.xlsx``),
    subdirectories (not searched), anything else (``note.pdf``, ``old.xls``).

    Raises
    ------
    InputError
        The directory cannot be listed.
    """
    try:
        names = sorted(os.listdir(directory))
    except OSError as exc:
        raise InputError(
            _("cannot list ({value})", value=exc.strerror or exc), path=directory
        ) from None
    logs: list[str] = []
    skipped: list[Skipped] = []
    for name in names:
        path = str(Path(directory) / name)
        reason = _not_read(path, name)
        if reason is None:
            logs.append(path)
        else:
            skipped.append(Skipped(path, reason))
    return Listing(tuple(logs), tuple(skipped))


def is_log_name(name: str) -> bool:
    """Whether a file name is a log's: ``*.csv``, ``*.tsv``, ``*.txt`` (or ``.gz``), ``*.xlsx``."""
    lower = name.lower()
    text = lower.removesuffix(".gz")
    return text.endswith(TEXT_SUFFIXES) or lower.endswith(WORKBOOK_SUFFIXES)


def _not_read(path: str, name: str) -> str | None:
    """Why a directory's entry is not read, or ``None`` for a log."""
    hidden = _hidden(name)
    if hidden is not None:
        return hidden
    if os.path.isdir(path):
        return _("a directory: only the files directly inside are read")
    if not is_log_name(name):
        return _not_a_log(name)
    if not os.path.isfile(path):
        return _("not a regular file")
    return None


def _hidden(name: str) -> str | None:
    if name.startswith("~$"):
        return _("an Excel lock file: the workbook is open in Excel")
    if name.startswith("."):
        return _("a hidden file")
    return None


def _not_a_log(name: str) -> str:
    lower = name.lower()
    suffix = next((s for s in _NOT_READ if lower.endswith(s)), None)
    return _NOT_READ[suffix] if suffix else _("not a log: *.csv, *.tsv, *.txt, *.xlsx are read")


def list_inputs(inputs: Sequence[str]) -> Inputs:
    """What the inputs hold: each log to read (``Input``) in order, and what is not read.

    A directory becomes its logs (``list_directory``); a workbook whose sheets
    with cells are several becomes one input per sheet (``book.xlsx[sheet]``),
    in workbook order; a workbook with one such sheet stays one input, named by
    its stem. Its other sheets (empty, chart, hidden) are ``Skipped``. Files,
    ``-`` and URLs stay as given; a workbook that cannot be listed stays too
    (reading it reports why).

    Raises
    ------
    InputError
        A directory holds no logs (the hint names what it holds), or cannot be listed.
    """
    found: list[Input] = []
    skipped: list[Skipped] = []
    for item in inputs:
        files = _expand_url(item) if is_url(item) else [item]
        if item != "-" and not is_url(item) and os.path.isdir(item):
            listing = list_directory(item)
            if not listing.logs:
                raise InputError(_NO_LOGS, path=item, hint=_holds(listing.skipped))
            files, skipped = list(listing.logs), skipped + list(listing.skipped)
        for path in files:
            found.extend(_inputs_of(path, skipped))
    return Inputs(tuple(found), tuple(skipped))


def expand_inputs(inputs: Sequence[str]) -> list[str]:
    """The sources of ``list_inputs``: directories become their logs, workbooks their sheets."""
    return list_inputs(inputs).sources


def _holds(skipped: Sequence[Skipped]) -> str:
    if not skipped:
        return _("it is empty")
    names = ", ".join(default_name(s.path) for s in skipped[:5])
    if len(skipped) > 5:
        return _("it holds {names} and {more} more", names=names, more=len(skipped) - 5)
    return _("it holds {names}", names=names)


def _inputs_of(path: str, skipped: list[Skipped]) -> list[Input]:
    """One file's inputs: itself, or each sheet of a workbook with several."""
    if path == "-" or is_url(path) or kind_of(path) != "xlsx":
        return [Input(path, default_name(path), file_stem(path))]
    try:
        sheets = list_sheets(path)
    except ReportgenError:
        return [Input(path, workbook_stem(path), workbook_stem(path))]
    skipped.extend(Skipped(sheet_source(path, name), why) for name, why in sheets.skipped)
    if len(sheets.logs) <= 1:
        return [Input(path, workbook_stem(path), workbook_stem(path))]
    stems = unique_stems(sheets.logs)
    return [
        Input(sheet_source(path, name), name, stem)
        for name, stem in zip(sheets.logs, stems, strict=True)
    ]


def file_stem(source: str) -> str:
    """An output stem from a file's name: without its directories, ``.gz`` and extension."""
    if source == "-":
        return "stdin"
    name = default_name(source).removesuffix(".gz").removesuffix(".GZ")
    stem = Path(name).stem or name
    return stem if stem not in ("", ".", "..") else "input"


def short_name(name: str, source: str) -> str:
    """How a page names a student: a file's name without its extensions (``sato.csv`` →
    ``sato``), a sheet's name or a ``--split-by`` group's value as it is.

    ``name`` and ``source`` are a ``RollLog``'s (or an ``Input``'s): a file's
    name is the last segment of its source (``default_name``).
    """
    if source != "-" and name == default_name(source):
        return file_stem(source)
    return name


def student_name(log: RollLog) -> str:
    """The name a worksheet's name field holds: ``short_name`` of the log, made printable."""
    return clean(short_name(log.name, log.source))


def expand(inputs: Sequence[str]) -> list[str]:
    """Directories and glob patterns become their log files, sorted; URLs are resolved too."""
    found: list[str] = []
    for item in inputs:
        if is_url(item):
            found.extend(_expand_url(item))
        elif glob.has_magic(item) and not os.path.exists(item):
            matches = sorted(glob.glob(item))
            if not matches:
                raise InputError(_("no file matches this pattern"), path=item)
            found.extend(expand_inputs(matches))
        else:
            found.extend(expand_inputs([item]))
    return found


def _expand_url(item: str) -> list[str]:
    import fsspec

    check_protocol(item, f"{item}: reading")
    try:
        fs, path = fsspec.core.url_to_fs(item)
    except (ImportError, ValueError) as exc:
        raise InputError(
            _("cannot open ({exc})", exc=exc),
            path=item,
            hint=_("install that filesystem's fsspec package"),
        ) from None
    if glob.has_magic(path):
        matches = sorted(fs.glob(path))
        if not matches:
            raise InputError(_("no file matches this pattern"), path=item)
        found: list[str] = []
        for match in matches:
            found.extend(_expand_url(fs.unstrip_protocol(match)))
        return found
    if not fs.isdir(path):
        return [item]
    names = sorted(
        name
        for entry in fs.ls(path, detail=True)
        if entry.get("type") == "file"
        and (name := entry["name"].rstrip("/").rsplit("/", 1)[-1])
        and _hidden(name) is None
        and is_log_name(name)
    )
    if not names:
        raise InputError(_NO_LOGS, path=item)
    return [item.rstrip("/") + "/" + name for name in names]


def concatenated_sha256(parts: Sequence[str]) -> str:
    """SHA-256 of the parts' stored bytes one after another (``cat PART... | sha256sum``).

    A part that names a URL is opened as the reader opens it (``opening.open_binary``).
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
