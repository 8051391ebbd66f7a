"""Where outputs go, and writing them: targets, the clobber checks, the one stdout writer."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from reportgen.errors import IOFailure, OutputError, UsageError

if TYPE_CHECKING:
    from reportgen.api import Report

EXTENSIONS = {"pdf": ".pdf", "html": ".html", "json": ".json"}

#: What an edition adds to the output's stem: ``rolls.pdf``, ``rolls-student.pdf``,
#: ``rolls-key.pdf`` (a class's worksheets, keys and reports share a folder without meeting).
EDITION_SUFFIXES = {"report": "", "student": "-student", "teacher": "-key"}


@dataclass(frozen=True)
class Target:
    """Where one input's one format goes: a path, or ``None`` for stdout."""

    source: str
    fmt: str
    path: Path | None
    edition: str = "report"


def plan_outputs(
    sources: Sequence[str], formats: Sequence[str], output: str | None, edition: str = "report"
) -> list[Target]:
    """Resolve ``-o`` per SPEC.md into one target per input and format (of ``edition``)."""
    many = len(sources) * len(formats) > 1
    if output == "-":
        if many:
            raise UsageError("-o - writes one format of one input to stdout", hint="drop -o -")
        return [Target(sources[0], formats[0], None)]
    directory, file = None, None
    if output is None:
        directory = Path.cwd()
    elif output.endswith(("/", os.sep)) or Path(output).is_dir() or many:
        directory = Path(output)
    else:
        file = Path(output)
    targets = []
    for source in sources:
        for fmt in formats:
            name = stem(source) + EDITION_SUFFIXES[edition] + EXTENSIONS[fmt]
            path = directory / name if directory else file
            targets.append(Target(source, fmt, path, edition))
    refuse_clobbering(sources, targets)
    return targets


def stem(source: str) -> str:
    """The output name's stem: the input's file name only, so it stays inside ``-o DIR``."""
    if source == "-":
        return "stdin"
    name = Path(source).name
    for suffix in (".gz",):
        name = name.removesuffix(suffix)
    stem = Path(name).stem or name
    return stem if stem not in ("", ".", "..") else "input"


def refuse_clobbering(sources: Sequence[str], targets: Sequence[Target]) -> None:
    """``OutputError`` if a target is an input (by name or by inode), ``UsageError`` if two meet."""
    inputs = {os.path.realpath(s) for s in sources if s != "-"}
    identities = {_identity(Path(s)) for s in sources if s != "-"} - {None}
    seen: set[str] = set()
    for target in targets:
        if target.path is None:
            continue
        real = os.path.realpath(target.path)
        if real in inputs or _identity(target.path) in identities:
            raise OutputError(
                "output would overwrite an input", path=str(target.path), hint="choose another -o"
            )
        if real in seen:
            raise UsageError(
                f"two outputs would both be written to {target.path}", hint="give -o a directory"
            )
        seen.add(real)


def _identity(path: Path) -> tuple[int, int] | None:
    """(device, inode), so a hard link or another name of an input is caught too."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def render_bytes(
    report: Report,
    fmt: str,
    *,
    jsonl: bool = False,
    edition: str = "report",
    made: dict[str, str] | None = None,
) -> bytes:
    """One output format of a report, as the bytes to write; ``jsonl``: JSON on one line.

    ``made`` keeps the edition's HTML between calls, so ``-f pdf,html`` builds
    it once (the PDF is laid out from that same HTML).
    """
    if jsonl:
        return report.to_json(indent=None).encode("utf-8")
    if fmt == "json":
        return report.to_json().encode("utf-8")
    page = made.get(edition) if made is not None else None
    if page is None and (fmt == "html" or made is not None):
        page = report.to_html(edition=edition)
        if made is not None:
            made[edition] = page
    if fmt == "html":
        assert page is not None
        return page.encode("utf-8")
    return report.to_pdf(edition=edition, html=page)


def write_target(
    report: Report, target: Target, stdout: TextIO, made: dict[str, str] | None = None
) -> None:
    """Render one target and write it: to ``stdout``, or to its path whole or not at all."""
    from reportgen.output import write_atomic

    data = render_bytes(report, target.fmt, edition=target.edition, made=made)
    if target.path is None:
        write_stdout(data, stdout)
    else:
        write_atomic(target.path, data)


def write_stdout(data: bytes, stdout: TextIO) -> None:
    """Bytes to standard output after what was printed before (``sys.stdout`` gets them raw)."""
    try:
        stdout.flush()
        buffer = getattr(stdout, "buffer", None) if stdout is sys.stdout else None
        if buffer is not None:  # bytes, so no terminal encoding can refuse a character
            buffer.write(data)
        else:  # a replaced stream (a test, a notebook) takes text
            stdout.write(data.decode("utf-8"))
        stdout.flush()
    except BrokenPipeError:
        raise  # the reader went away: main's exit status, no message
    except OSError as exc:  # e.g. stdout redirected to a full disk
        raise IOFailure(f"write failed ({exc.strerror or exc})", path="<stdout>") from None
