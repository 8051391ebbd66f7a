"""Where an input's bytes come from: standard input, a file, a ``file://`` URL as its local
path, or another fsspec URL (``s3://…``) through fsspec, whose package may be missing."""

from __future__ import annotations

import io
import sys

from reportgen.errors import InputError, UsageError
from reportgen.say import _


def is_url(source: str) -> bool:
    """Whether an input names an fsspec URL (``s3://…``, ``file://…``) rather than a path."""
    return "://" in source


def local_path(source: str) -> str:
    """The local path a ``file://`` URL names (percent-decoded); any other source unchanged."""
    from urllib.parse import unquote, urlsplit

    if source[:7].lower() != "file://":
        return source
    return unquote(urlsplit(source).path) or "/"


def check_protocol(url: str, doing: str) -> None:
    """``UsageError`` (exit 2) when no fsspec filesystem is installed for ``url``'s protocol,
    naming the package to install: ``{doing} s3:// needs the package s3fs``."""
    import fsspec
    from fsspec.registry import known_implementations

    scheme = url.split("://", 1)[0].lower()
    if scheme == "file":
        return
    try:
        fsspec.get_filesystem_class(scheme)
    except ImportError:
        package = known_implementations.get(scheme, {}).get("class", scheme).split(".")[0]
        raise UsageError(
            f"{doing} {scheme}:// needs the package {package}", hint=f"pip install {package}"
        ) from None
    except ValueError:
        raise UsageError(f"{doing} {scheme}://: no filesystem knows this protocol") from None


def open_binary(source: str) -> io.BufferedIOBase:
    """The input's stored bytes: standard input for ``-``, a ``file://`` URL as its local path,
    another URL through fsspec (``open_url``), else the file; ``InputError`` if not."""
    if source == "-":
        return sys.stdin.buffer
    if is_url(source) and source[:7].lower() != "file://":
        return open_url(source)
    try:
        return open(local_path(source), "rb")  # noqa: SIM115 - the caller closes it
    except FileNotFoundError:
        raise InputError(_("no such file"), path=source) from None
    except IsADirectoryError:
        raise InputError(_("is a directory"), path=source) from None
    except PermissionError:
        raise InputError(
            _("permission denied"), path=source, hint=_("check the file's mode")
        ) from None
    except OSError as exc:
        raise InputError(
            _("cannot open ({value})", value=exc.strerror or exc), path=source
        ) from None


def open_url(source: str) -> io.BufferedIOBase:
    """An fsspec URL (``s3://…``) opened for reading.

    A missing filesystem package is named in the hint.
    """
    import fsspec

    try:
        return fsspec.open(source, "rb").open()
    except FileNotFoundError:
        raise InputError(_("no such file"), path=source) from None
    except IsADirectoryError:
        raise InputError(_("is a directory"), path=source) from None
    except PermissionError:
        raise InputError(_("permission denied"), path=source) from None
    except ImportError as exc:
        raise InputError(
            _("cannot open ({exc})", exc=exc),
            path=source,
            hint=_("install that filesystem's fsspec package"),
        ) from None
    except (OSError, ValueError) as exc:
        raise InputError(_("cannot open ({exc})", exc=exc), path=source) from None
