"""Writing outputs so that a file is either complete or absent.

Every output goes to a temporary file in its target directory and is renamed
into place only once it is whole; a failed write removes the temporary and
leaves any existing output untouched.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

from reportgen.errors import IOFailure, OutputError

#: Temporaries start with this prefix, so a crash leaves files that are easy to spot.
TEMP_PREFIX = ".reportgen-"


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    A device or pipe (``-o /dev/null``, ``-o /dev/stdout``) is written to
    directly: renaming over it would replace the device with a plain file.
    """
    if _is_device_or_pipe(path):
        _write_through(path, data)
        return
    directory = path.parent
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputError(
            f"cannot create output ({exc.strerror or exc})",
            path=str(path),
            hint="choose a writable place with -o",
        ) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException as exc:
        _remove(temp)
        if isinstance(exc, OSError):
            if exc.errno in (errno.EACCES, errno.EPERM, errno.EISDIR, errno.EROFS):
                raise OutputError(
                    f"cannot create output ({exc.strerror})", path=str(path)
                ) from None
            raise IOFailure(f"write failed ({exc.strerror or exc})", path=str(path)) from None
        raise


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def _is_device_or_pipe(path: Path) -> bool:
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _write_through(path: Path, data: bytes) -> None:
    try:
        with open(path, "wb") as handle:
            handle.write(data)
    except OSError as exc:
        raise IOFailure(f"write failed ({exc.strerror or exc})", path=str(path)) from None
