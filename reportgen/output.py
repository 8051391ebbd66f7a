"""Writing outputs so that a file is either complete or absent.

Every output goes to a temporary file in its target directory and is renamed
into place only once it is whole; a failed write removes the temporary and
leaves any existing output untouched. Two runs writing the same output each
rename their own whole file into place, so the result is one run's file, never
a mix. A target that exists and is not a regular file (``/dev/stdout``,
``/dev/full``, a FIFO) is written directly: renaming over it would replace the
device itself.

A temporary is named ``.reportgen-<pid>@<host>-<token>.tmp``: a process killed
with SIGKILL cannot remove its own, so a later run removes those of processes
of this host that are gone (``remove_dead_temporaries``), and never another
host's or a live process's (two jobs may share a directory, even over NFS).

A process's working folder in the system's temporary directory (the fonts
WeasyPrint loads, ``temporary_folder``) is named the same way with the suffix
``.d``; it is removed when the process exits, on SIGINT/SIGTERM, and, after a
SIGKILL, by the next process that makes one.

An output named by an fsspec URL (``s3://…``) is written by ``write_url`` in
one whole-object write: an object store shows an object whole or not at all.
"""

from __future__ import annotations

import atexit
import errno
import functools
import os
import re
import secrets
import shutil
import socket
import stat
import tempfile
from pathlib import Path

from reportgen.errors import IOFailure, OutputError
from reportgen.say import _

#: Temporaries start with this prefix, so a crash leaves files that are easy to spot.
TEMP_PREFIX = ".reportgen-"

#: A temporary's name: its process, its host and a random token; a file or (``.d``) a folder.
_TEMPORARY = re.compile(r"\.reportgen-(\d+)@([A-Za-z0-9_.-]+)-[0-9a-f]{16}\.(?:tmp|d)")

#: Temporaries of this process not yet renamed, and its working folders; removed on
#: SIGINT/SIGTERM, and the folders at exit too.
_LIVE: set[str] = set()

_CANNOT_CREATE = (errno.EACCES, errno.EPERM, errno.EISDIR, errno.EROFS, errno.ENOTDIR, errno.ENOENT)


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    if _is_special(path):
        _write_special(path, data)
        return
    directory = path.parent
    make_directory(directory, path)
    temp = os.path.join(directory, temporary_name())
    _LIVE.add(temp)  # before it exists: an interrupt in between removes nothing, harmlessly
    try:
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_CLOEXEC, 0o644)
        except OSError as exc:
            raise OutputError(
                _("cannot create output ({value})", value=exc.strerror or exc),
                path=str(path),
                hint=_("choose a writable place with -o"),
            ) from None
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)  # O_CREAT's mode is masked by the umask; outputs are 0644
        os.replace(temp, path)
    except BaseException as exc:
        _remove(temp)
        if isinstance(exc, OSError):
            raise _failure(exc, path) from None
        raise
    finally:
        _LIVE.discard(temp)


def remove_temporaries() -> None:
    """Remove this process's unfinished temporaries and working folders.

    Called on SIGINT/SIGTERM, when a worker ends, and at exit.
    A forked child leaves its parent's alone.
    """
    mine = f"{TEMP_PREFIX}{os.getpid()}@"
    for temp in list(_LIVE):
        if os.path.basename(temp).startswith(mine):
            _remove(temp)
        _LIVE.discard(temp)


def temporary_name(suffix: str = ".tmp") -> str:
    """A fresh temporary's name, naming this process and host."""
    return f"{TEMP_PREFIX}{os.getpid()}@{_host()}-{secrets.token_hex(8)}{suffix}"


def temporary_folder() -> Path:
    """A new folder of this process in the system's temporary directory, gone when it exits.

    Folders that processes of this host killed with SIGKILL left there are
    removed first.
    """
    parent = Path(tempfile.gettempdir())
    remove_dead_temporaries(parent)
    folder = parent / temporary_name(".d")
    _LIVE.add(str(folder))
    folder.mkdir(mode=0o700)
    return folder


atexit.register(remove_temporaries)  # the working folders; a worker calls it as it ends


@functools.cache
def _host() -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", socket.gethostname()) or "host"


def remove_dead_temporaries(directory: Path) -> list[str]:
    """Remove the temporaries in ``directory`` left by processes of this host that are gone.

    Returns their names. A temporary of a live process, or of another host, is kept.
    """
    removed = []
    try:
        names = os.listdir(directory)
    except OSError:
        return removed
    for name in names:
        match = _TEMPORARY.fullmatch(name)
        if match is None or match.group(2) != _host() or _alive(int(match.group(1))):
            continue
        _remove(os.path.join(directory, name))
        removed.append(name)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # another user's process: alive
    return True


def write_url(url: str, data: bytes) -> None:
    """Write ``data`` to the fsspec URL ``url`` in one whole-object write."""
    import fsspec

    try:
        fs, path = fsspec.core.url_to_fs(url)
        fs.pipe_file(path, data)
    except (ImportError, ValueError) as exc:
        raise OutputError(_("cannot create output ({exc})", exc=exc), path=url) from None
    except PermissionError as exc:
        raise OutputError(_("cannot create output ({exc})", exc=exc), path=url) from None
    except OSError as exc:
        raise IOFailure(_("write failed ({value})", value=exc.strerror or exc), path=url) from None


_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def make_directory(directory: Path, path: Path) -> None:
    """``mkdir -p directory``; ``OutputError`` naming ``path`` (the output) if it cannot be made."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        blocker = _file_in_the_way(directory)
        reason = f"{blocker} is not a directory" if blocker else exc.strerror or str(exc)
        raise OutputError(
            _("cannot create output ({reason})", reason=reason),
            path=str(path),
            hint=_("choose a writable place with -o"),
        ) from None


def check_creatable(directory: Path, path: Path) -> None:
    """``OutputError`` naming ``path`` (an output) if ``directory`` could not hold it: the
    directory, or the nearest of its parents that exists, is not a writable directory.
    Nothing is created: a run that fails on its input leaves no empty folder behind."""
    existing = directory
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    blocker = _file_in_the_way(directory)
    if blocker is not None:
        reason = f"{blocker} is not a directory"
    elif not os.access(existing, os.W_OK | os.X_OK):
        reason = "permission denied"
    else:
        return
    raise OutputError(
        _("cannot create output ({reason})", reason=reason),
        path=str(path),
        hint=_("choose a writable place with -o"),
    )


def _file_in_the_way(directory: Path) -> Path | None:
    for part in (directory, *directory.parents):
        if part.exists() and not part.is_dir():
            return part
    return None


def _is_special(path: Path) -> bool:
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _write_special(path: Path, data: bytes) -> None:
    try:
        with open(path, "wb") as handle:
            handle.write(data)
            handle.flush()
    except OSError as exc:
        raise _failure(exc, path) from None


def _failure(exc: OSError, path: Path) -> OutputError | IOFailure:
    if exc.errno in _CANNOT_CREATE:
        return OutputError(
            _("cannot create output ({strerror})", strerror=exc.strerror), path=str(path)
        )
    return IOFailure(_("write failed ({value})", value=exc.strerror or exc), path=str(path))


def _remove(path: str) -> None:
    if path.endswith(".d"):
        shutil.rmtree(path, ignore_errors=True)
        return
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    except OSError:
        pass  # nothing more can be done; the prefix makes it easy to find
