"""What a run leaves on disk about itself, each fact as soon as it is true.

``Records`` is opened before any work (so an unwritable ``--summary`` fails
at once, exit 73) and told about every input as it finishes:

- its outputs' manifest records are appended to their directories' journals
  (``manifest.Folder``), or, when its data failed, the outputs reportgen made
  from it earlier are removed and the error says so;
- its ``--summary`` line is appended to the summary log (opened for appending,
  never truncated; one ``write`` a line, under a lock, flushed to disk), so the
  lines of two jobs sharing one log interleave whole, in the order inputs finish.

Opening also removes the temporary files that killed runs of this host left
in the output directories (``output.remove_dead_temporaries``); closing
compacts every journal this run wrote to.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from reportgen.cli.manifest import Folder, record
from reportgen.errors import ExitStatus, OutputError
from reportgen.pipeline import Outcome, Target, Task
from reportgen.say import _


class Records:
    """The manifests of a run's output directories and its summary log."""

    def __init__(
        self,
        fingerprints: Mapping[str, str],
        tasks: Sequence[Task],
        summary: str | None,
        keep_all: bool,
    ) -> None:
        from reportgen.output import remove_dead_temporaries

        self.fingerprints = fingerprints  # edition → what besides the input decides its outputs
        self.keep_all = keep_all  # --skip-unchanged: a file output's directory keeps it too
        self._summary = _open_log(summary) if summary else None
        self._folders: dict[Path, Folder] = {}
        for task in tasks:
            for target in task.targets:
                if target.path is not None:
                    remove_dead_temporaries(target.path.parent)
                    if self._kept(target):
                        self._folder(target.path.parent)

    def _kept(self, target: Target) -> bool:
        """Whether ``target``'s directory keeps its record: every output into a directory,
        and with ``--skip-unchanged`` every local output."""
        return target.path is not None and (target.listed or self.keep_all)

    def _folder(self, directory: Path) -> Folder:
        if directory not in self._folders:
            self._folders[directory] = Folder(directory)
        return self._folders[directory]

    def unchanged(self, task: Task) -> bool:
        """Whether every output of ``task`` is as reportgen made it from its inputs as they are."""
        if not task.targets or any(t.path is None or not self._kept(t) for t in task.targets):
            return False  # standard output and URLs are always written
        return all(
            self._folder(t.path.parent).matches(
                t.path.name, self.fingerprints[t.edition], task.inputs
            )
            for t in task.targets
            if t.path is not None
        )

    def finished(self, task: Task, outcome: Outcome) -> None:
        """``outcome`` is final: its records (or its stale outputs' removal), then its summary."""
        if outcome.status == 0 and not outcome.skipped:
            for target in task.targets:
                if target.path is not None and self._kept(target):
                    entry = record(self.fingerprints[target.edition], task.inputs, target.path)
                    self._folder(target.path.parent).note({target.path.name: entry})
        elif outcome.status == ExitStatus.DATAERR:
            removed = self._remove_stale(task)
            if removed:
                outcome.add_to_error(
                    _("; removed {paths}, made from it earlier", paths=", ".join(removed))
                )
        self.summarise(outcome)

    def _remove_stale(self, task: Task) -> list[str]:
        """Remove the outputs the manifests say were made from ``task``'s inputs, if unchanged."""
        from reportgen.cli.manifest import stat

        removed = []
        for directory in dict.fromkeys(t.path.parent for t in task.targets if t.path is not None):
            folder = self._folders.get(directory)
            if folder is None:
                continue
            for name in folder.made_from(task.inputs):
                path = directory / name
                if stat(path) != folder.records[name].get("output"):
                    continue  # changed since reportgen wrote it: not reportgen's any more
                try:
                    path.unlink()
                except OSError:
                    continue
                folder.note({name: None})
                removed.append(str(path))
        return removed

    def summarise(self, outcome: Outcome) -> None:
        """Append ``outcome``'s line to the summary log (if there is one)."""
        if self._summary is None:
            return
        line = json.dumps(outcome.summary(), ensure_ascii=False) + "\n"
        _append(self._summary, line.encode("utf-8"))

    def close(self) -> None:
        """Compact the journals this run wrote to; close the summary log."""
        for folder in self._folders.values():
            if folder.changed:
                folder.compact()
        if self._summary is not None:
            os.close(self._summary)
            self._summary = None


def _open_log(path: str) -> int:
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise OutputError(
            _("cannot create the summary ({value})", value=exc.strerror or exc),
            path=path,
            hint=_("choose a writable place with --summary"),
        ) from None


def _append(fd: int, data: bytes) -> None:
    """One whole line at the log's end, under a lock so two jobs' lines never mix."""
    try:
        import fcntl
    except ImportError:
        fcntl = None  # type: ignore[assignment]
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_UN)
