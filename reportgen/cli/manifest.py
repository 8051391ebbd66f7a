"""``--skip-unchanged``: what each output was made from, kept beside the outputs.

An input is skipped when every output it would write exists and was written
by reportgen from this very input (same size and modification time) with the
same version and options. Those facts live in ``.reportgen-manifest.json`` in
each output directory, written only by runs with this option; an output
touched since (or a changed input, version or option) is made again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportgen.errors import ReportgenError

if TYPE_CHECKING:
    from reportgen.cli.plan import Target
    from reportgen.options import Options

#: Name of the file, in each output directory, that ``--skip-unchanged`` reads and writes.
MANIFEST = ".reportgen-manifest.json"


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
    if edition != "report":
        facts["edition"] = edition
    text = json.dumps(facts, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Manifests:
    """The manifests of the output directories of one run, each read once."""

    def __init__(self, fingerprint: str) -> None:
        self.fingerprint = fingerprint
        self._cache: dict[Path, dict[str, Any]] = {}
        self._touched: set[Path] = set()

    def _manifest(self, directory: Path) -> dict[str, Any]:
        if directory not in self._cache:
            try:
                self._cache[directory] = json.loads((directory / MANIFEST).read_text("utf-8"))
            except (OSError, ValueError):
                self._cache[directory] = {}
            if not isinstance(self._cache[directory], dict):
                self._cache[directory] = {}
        return self._cache[directory]

    def unchanged(self, targets: Sequence[Target], parts: Sequence[str]) -> bool:
        """Whether every target was made from ``parts`` as they are now, with these options."""
        if any(t.path is None for t in targets):
            return False  # standard output is always written
        inputs = _inputs(parts)
        if any(stat is None for _, stat in inputs):
            return False
        for target in targets:
            assert target.path is not None
            entry = self._manifest(target.path.parent).get(target.path.name)
            output = _stat(target.path)
            if (
                not isinstance(entry, dict)
                or output is None
                or entry.get("fingerprint") != self.fingerprint
                or entry.get("inputs") != inputs
                or entry.get("output") != output
                or output[1] < max(stat[1] for _, stat in inputs if stat is not None)
            ):
                return False
        return True

    def record(self, targets: Sequence[Target], parts: Sequence[str]) -> None:
        """Remember that ``targets`` were just written from ``parts``."""
        inputs = _inputs(parts)
        for target in targets:
            if target.path is None:
                continue
            self._manifest(target.path.parent)[target.path.name] = {
                "fingerprint": self.fingerprint,
                "inputs": inputs,
                "output": _stat(target.path),
            }
            self._touched.add(target.path.parent)

    def save(self) -> None:
        """Write the manifest of every directory that ``record`` added to."""
        from reportgen.output import write_atomic

        for directory in self._touched:
            text = json.dumps(self._cache[directory], indent=1, sort_keys=True, ensure_ascii=False)
            try:
                write_atomic(directory / MANIFEST, (text + "\n").encode("utf-8"))
            except ReportgenError:
                pass  # without a manifest the next run just makes everything again


def _inputs(parts: Sequence[str]) -> list[list[Any]]:
    return [[os.path.realpath(p), _stat(p)] for p in parts]


def _stat(path: str | Path) -> list[int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns]
