"""Writing outputs so that a file is either complete or absent.

Every output goes to a temporary file in its target directory and is renamed
into place only once it is whole; a failed write removes the temporary and
leaves any existing output untouched. Two runs writing the same output each
rename their own whole file into place, so the result is one run's file, never
a mix. A target that exists and is not a regular file (``/dev/stdout``,
``/dev/full``, a FIFO) is written directly: renaming over it would replace the
device itself.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from pathlib import Path

from reportgen.errors import IOFailure, OutputError

#: Temporaries start with this prefix, so a crash leaves files that are easy to spot.
TEMP_PREFIX = ".reportgen-"

#: Temporaries of this process not yet renamed; removed on SIGINT/SIGTERM.
_LIVE: set[str] = set()

_CANNOT_CREATE = (errno.EACCES, errno.EPERM, errno.EISDIR, errno.EROFS, errno.ENOTDIR, errno.ENOENT)


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    if _is_special(path):
        _write_special(path, data)
        return
    directory = path.parent
    _make_directory(directory, path)
    temp = os.path.join(directory, f"{TEMP_PREFIX}{secrets.token_hex(8)}.tmp")
    _LIVE.add(temp)  # before it exists: an interrupt in between removes nothing, harmlessly
    try:
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_CLOEXEC, 0o644)
        except OSError as exc:
            raise OutputError(
                f"cannot create output ({exc.strerror or exc})",
                path=str(path),
                hint="choose a writable place with -o",
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
    """Remove this process's unfinished temporaries (called on SIGINT/SIGTERM)."""
    for temp in list(_LIVE):
        _remove(temp)
        _LIVE.discard(temp)


_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def _make_directory(directory: Path, path: Path) -> None:
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        blocker = _file_in_the_way(directory)
        reason = f"{blocker} is not a directory" if blocker else exc.strerror or str(exc)
        raise OutputError(
            f"cannot create output ({reason})",
            path=str(path),
            hint="choose a writable place with -o",
        ) from None


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
        return OutputError(f"cannot create output ({exc.strerror})", path=str(path))
    return IOFailure(f"write failed ({exc.strerror or exc})", path=str(path))


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    except OSError:
        pass  # nothing more can be done; the prefix makes it easy to find
