"""The manifest of an output directory: what reportgen wrote there, and from what.

Every output written into a directory (and, with ``--skip-unchanged``, every
output at all) has a record: the fingerprint of the version and options it
was made with, each input's real path, size and modification time, and the
output's own size and modification time. ``--skip-unchanged`` skips an input
whose outputs all still match their records; an input whose data now fail
loses the outputs its records name (``stale``), as make's ``.DELETE_ON_ERROR``.

A directory holds two files:

- ``.reportgen-manifest.json``: output name → record, as of the last compaction;
- ``.reportgen-manifest.journal``: one JSON line per change since then,
  ``{"output": NAME, "record": {...}}`` or ``{"output": NAME, "record": null}``
  for an output removed; each appended (and flushed to disk) as soon as its
  output is written or removed.

Readers apply the journal over the manifest; a run ends by compacting (the
journal folded into the manifest, written atomically, and the journal
emptied). Appending and compacting hold an exclusive lock on the journal
(``fcntl.flock``; on systems without it, none), so two jobs writing into one
directory at once keep each other's records, and a job killed even with
SIGKILL leaves its records in the journal, where the next run finds them.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportgen.cli.inputs import located
from reportgen.errors import ReportgenError
from reportgen.read.opening import local_path

if TYPE_CHECKING:
    from reportgen.options import Options

#: The files, in each output directory, that keep its records.
MANIFEST = ".reportgen-manifest.json"
JOURNAL = ".reportgen-manifest.journal"

Record = dict[str, Any]


def fingerprint(options: Options, combine: bool, edition: str = "report") -> str:
    """What besides the input decides an output: reportgen's and the JSON's versions, the options.

    ``schema_version`` is part of it, so JSON written before a change of the
    contract is made again even when reportgen's own version did not move;
    the edition too (a worksheet is not its key). The report's fingerprint
    leaves the edition out, so manifests written before editions still match.
    """
    from reportgen import __version__
    from reportgen.schema import SCHEMA_VERSION

    facts = {
        "reportgen": __version__,
        "schema_version": SCHEMA_VERSION,
        "options": dataclasses.asdict(options),
        "combine": combine,
    }
    if options.render.names:  # the default, as before --no-names: earlier records still match
        del facts["options"]["render"]["names"]
    if edition != "report":
        facts["edition"] = edition
    text = json.dumps(facts, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def record(fingerprint: str, parts: Sequence[str], output: Path) -> Record:
    """The record of ``output``, just written from ``parts``."""
    return {"fingerprint": fingerprint, "inputs": inputs(parts), "output": stat(output)}


def inputs(parts: Sequence[str]) -> list[list[Any]]:
    """Each part's identity with its file's size and modification time, as a record keeps them.

    A part's identity is its file's real path, followed, for a workbook's sheet or a
    ``--split-by`` part, by what names it inside the file (``/abs/book.xlsx[佐藤]``); the
    size and time are the file's (``inputs.located``). A ``file://`` URL is its local path;
    another URL has no time here, so never matches.
    """
    return [[identity(p), stat(local_path(located(p)[0]))] for p in parts]


def identity(part: str) -> str:
    """How a record names an input: its file's real path and what names it inside the file."""
    path, inside = located(part)
    return os.path.realpath(local_path(path)) + inside


def stat(path: str | Path) -> list[int] | None:
    """[size, modification time in ns], or ``None`` for a file that is not there."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns]


class Folder:
    """The records of one output directory: read once, then kept up to date by this run."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.records: dict[str, Record] = {}
        self.changed = False
        try:
            with self._journal(create=False) as fd:
                self.records = _read_manifest(directory / MANIFEST)
                _apply(self.records, _read_lines(fd))
        except FileNotFoundError:  # nothing recorded here yet (or only a manifest)
            self.records = _read_manifest(directory / MANIFEST)

    def matches(self, name: str, fingerprint: str, parts: Sequence[str]) -> bool:
        """Whether output ``name`` is as reportgen wrote it from ``parts`` as they are now."""
        entry = self.records.get(name)
        now = inputs(parts)
        output = stat(self.directory / name)
        return (
            isinstance(entry, dict)
            and output is not None
            and all(s is not None for _, s in now)
            and entry.get("fingerprint") == fingerprint
            and entry.get("inputs") == now
            and entry.get("output") == output
            and output[1] >= max(s[1] for _, s in now)  # type: ignore[index]
        )

    def made_from(self, parts: Sequence[str]) -> list[str]:
        """The outputs whose records say they were made from ``parts`` (by real path)."""
        wanted = [identity(p) for p in parts]
        return [
            name
            for name, entry in self.records.items()
            if isinstance(entry, dict)
            and [item[0] for item in entry.get("inputs") or () if item] == wanted
        ]

    def note(self, changes: dict[str, Record | None]) -> None:
        """Append ``changes`` (output name → record, or ``None``: removed) to the journal."""
        lines = "".join(
            json.dumps({"output": name, "record": entry}, ensure_ascii=False) + "\n"
            for name, entry in changes.items()
        )
        with self._journal() as fd:
            os.write(fd, lines.encode("utf-8"))
            os.fsync(fd)
        _apply(self.records, changes.items())
        self.changed = True

    def compact(self) -> None:
        """Fold the journal into the manifest and empty it (under the lock); errors are ignored:
        the journal keeps the records, and the next run reads them there."""
        from reportgen.output import write_atomic

        try:
            with self._journal() as fd:
                merged = _read_manifest(self.directory / MANIFEST)
                _apply(merged, _read_lines(fd))
                text = json.dumps(merged, indent=1, sort_keys=True, ensure_ascii=False)
                write_atomic(self.directory / MANIFEST, (text + "\n").encode("utf-8"))
                os.ftruncate(fd, 0)
        except (OSError, ReportgenError):
            pass

    @contextlib.contextmanager
    def _journal(self, create: bool = True) -> Iterator[int]:
        """The journal, open for appending, locked while the block runs."""
        flags = os.O_RDWR | os.O_APPEND | _CLOEXEC | (os.O_CREAT if create else 0)
        if create:  # written by a Dask worker, the folder may not be here yet
            self.directory.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.directory / JOURNAL, flags, 0o644)
        try:
            _lock(fd)
            yield fd
        finally:
            os.close(fd)  # closing the descriptor releases the lock


_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def _lock(fd: int) -> None:
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock
        return
    fcntl.flock(fd, fcntl.LOCK_EX)


def _read_manifest(path: Path) -> dict[str, Record]:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _read_lines(fd: int) -> Iterator[tuple[str, Record | None]]:
    """The journal's changes in order; a line cut short by a crash is skipped."""
    os.lseek(fd, 0, os.SEEK_SET)
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    for line in b"".join(chunks).decode("utf-8", "replace").splitlines():
        try:
            change = json.loads(line)
            yield str(change["output"]), change["record"]
        except (ValueError, KeyError, TypeError):
            continue


def _apply(records: dict[str, Record], changes: Any) -> None:
    for name, entry in changes:
        if entry is None:
            records.pop(name, None)
        else:
            records[name] = entry
