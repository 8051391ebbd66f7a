"""Where outputs go: targets, the checks made before any work, and writing one target.

``-o`` names standard output (``-``), a local file or directory, or an fsspec
URL: ``file://`` is a local path; any other protocol (``s3://``, ``gs://``) is
written through fsspec when its package is installed, and refused (exit 2,
naming the package) when it is not. Every local directory an output goes to
is made, and checked writable, before any input is read (exit 73), so a job
fails in the time the program takes to start, not after its last report.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO
from urllib.parse import unquote, urlsplit

from reportgen.cli.inputs import located
from reportgen.errors import IOFailure, OutputError, UsageError
from reportgen.pipeline import Target
from reportgen.say import _


@dataclass(frozen=True)
class Output:
    """``-o`` resolved: stdout, a local path or a remote URL; ``folder`` if it names a directory."""

    stdout: bool = False
    path: Path | None = None
    url: str | None = None
    folder: bool = False


def resolve_output(output: str | None, many: bool) -> Output:
    """What ``-o`` names (``docs/cli.md``): a directory when it exists as one, ends in ``/`` or
    several outputs are written; a URL's protocol package must be installed."""
    if output == "-":
        if many:
            raise UsageError(
                _("-o - writes one format of one input to stdout"), hint=_("drop -o -")
            )
        return Output(stdout=True)
    if output is None:
        return Output(path=Path.cwd(), folder=True)
    trailing = output.endswith(("/", os.sep))
    if "://" in output:
        scheme = output.split("://", 1)[0].lower()
        if scheme != "file":
            _check_protocol(scheme, output)
            return Output(url=output.rstrip("/"), folder=trailing or many)
        output = unquote(urlsplit(output).path) or "/"
    path = Path(output)
    return Output(path=path, folder=trailing or many or path.is_dir())


def _check_protocol(scheme: str, output: str) -> None:
    """Refuse a URL whose fsspec protocol is unknown or whose package is missing (exit 2)."""
    from reportgen.read.opening import check_protocol

    check_protocol(output, f"-o {output}: writing to")


def plan_outputs(
    sources: Sequence[str],
    formats: Sequence[str],
    output: str | None,
    edition: str = "report",
    stems: Sequence[str] | None = None,
    *,
    editions: Sequence[str] = (),
    many: bool = False,
) -> list[Target]:
    """One target per input, format and edition, per ``-o`` (``docs/cli.md``), checked.

    ``stems`` name each input's outputs (default: ``stem`` of the source);
    ``editions`` (default: ``edition`` alone) each add their suffix. ``many``:
    more outputs will come than these (``-o`` then names a directory).
    """
    editions = tuple(editions) or (edition,)
    count = len(sources) * len(formats) * len(editions)
    resolved = resolve_output(output, many or count > 1)
    if resolved.stdout:
        return [Target(sources[0], formats[0], None, editions[0])]
    names = list(stems) if stems is not None else [stem(source) for source in sources]
    targets = []
    for source, name in zip(sources, names, strict=True):
        for kind in editions:
            for fmt in formats:
                targets.append(_target(resolved, source, fmt, kind, file_name(name, fmt, kind)))
    refuse_clobbering(sources, targets)
    prepare_folders(targets)
    return targets


def _target(resolved: Output, source: str, fmt: str, edition: str, name: str) -> Target:
    """Where one output goes: ``name`` in the folder ``-o`` names, or the file it names."""
    if resolved.url is not None:
        url = f"{resolved.url}/{name}" if resolved.folder else resolved.url
        return Target(source, fmt, None, edition, url=url)
    assert resolved.path is not None
    path = resolved.path / name if resolved.folder else resolved.path
    return Target(source, fmt, path, edition, listed=resolved.folder)


def output_name(source: str, fmt: str, edition: str = "report") -> str:
    """The output's file name: stem, the edition's suffix, extension (``rolls-student.pdf``)."""
    return file_name(stem(source), fmt, edition)


def file_name(name: str, fmt: str, edition: str = "report") -> str:
    """A file name from a stem: the edition's suffix and the format's extension."""
    from reportgen.render.formats import EDITIONS, FORMATS

    return name + EDITIONS[edition] + FORMATS[fmt].extension


def stem(source: str) -> str:
    """The output name's stem: the input's file name only, so it stays inside ``-o DIR``."""
    if source == "-":
        return "stdin"
    name = Path(source.rstrip("/").rsplit("/", 1)[-1]).name
    for suffix in (".gz",):
        name = name.removesuffix(suffix)
    stem = Path(name).stem or name
    return stem if stem not in ("", ".", "..") else "input"


def prepare_folders(targets: Sequence[Target]) -> None:
    """Check that every local output directory exists or can be made, and can be written
    (``OutputError``), before any input is read."""
    from reportgen.output import check_creatable

    folders: dict[Path, Path] = {}
    for target in targets:
        if target.path is not None:
            folders.setdefault(target.path.parent, target.path)
    for folder, first in folders.items():
        check_creatable(folder, first)


def refuse_clobbering(sources: Sequence[str], targets: Sequence[Target]) -> None:
    """``OutputError`` if a target is an input (by name or by inode), ``UsageError`` if two meet."""
    files = [located(s)[0] for s in sources if s != "-"]
    inputs = {os.path.realpath(f) for f in files}
    identities = {_identity(Path(f)) for f in files} - {None}
    seen: set[str] = set()
    for target in targets:
        if target.place is None:
            continue
        real = os.path.realpath(target.path) if target.path is not None else target.place
        if real in inputs or (target.path is not None and _identity(target.path) in identities):
            raise OutputError(
                _("output would overwrite an input"), path=target.place, hint=_("choose another -o")
            )
        if real in seen:
            raise UsageError(
                _("two outputs would both be written to {place}", place=target.place),
                hint=_("give -o a directory"),
            )
        seen.add(real)


def _identity(path: Path) -> tuple[int, int] | None:
    """(device, inode), so a hard link or another name of an input is caught too."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


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
        raise IOFailure(
            _("write failed ({value})", value=exc.strerror or exc), path="<stdout>"
        ) from None
