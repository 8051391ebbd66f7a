"""Writing outputs so that a file is either complete or absent.

Every output goes to a temporary file in its target directory and is renamed
into place only once it is whole; a failed write removes the temporary and
leaves any existing output untouched.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from reportgen.errors import IOFailure, OutputError

#: Temporaries start with this prefix, so a crash leaves files that are easy to spot.
TEMP_PREFIX = ".reportgen-"


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    A path that is not a regular file (``/dev/null``, ``/dev/stdout``, a FIFO)
    is written in place: renaming over it would replace the device itself.
    """
    if path.exists() and not path.is_file():
        if path.is_dir():
            raise OutputError("is a directory", path=str(path), hint="give -o a file name")
        _write_special(path, data)
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


def _write_special(path: Path, data: bytes) -> None:
    try:
        with open(path, "wb") as handle:
            handle.write(data)
    except OSError as exc:
        if exc.errno in (errno.EACCES, errno.EPERM):
            raise OutputError(f"cannot open output ({exc.strerror})", path=str(path)) from None
        raise IOFailure(f"write failed ({exc.strerror or exc})", path=str(path)) from None


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
