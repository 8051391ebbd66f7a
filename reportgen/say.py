"""Messages for people on stderr, in English or Japanese: ``_()`` and its catalogues.

Every user-facing error, hint, note and status line of ``read/``, ``options``,
``faces`` and ``cli/`` is made by ``_(msgid, **args)`` (or ``_n`` where English
has a plural): a ``Text``, which *is* the English message (a ``str``: what
``str(error)``, ``--summary`` and the JSON see, byte for byte as before) and can
also say itself in another language (``Text.said(lang)``) through the gettext
catalogue ``reportgen/locale/<lang>/LC_MESSAGES/reportgen.mo``.

A message is translated when it is printed, in the process that prints it: an
error raised on a worker process or a Dask worker travels as a ``Text``
(pickled with its msgid and arguments) and is said in the language of the
terminal that shows it (``stderr_language``: ``--lang ja`` or a Japanese
locale). Arguments that are ``Text`` are said in that language too; any other
argument (a path, a cell's value, a number) is shown as it is.

The catalogue's sources are ``reportgen/locale/reportgen.pot`` and
``reportgen/locale/<lang>/LC_MESSAGES/reportgen.po``, extracted and compiled
with Babel (``scripts/messages.sh``); the compiled ``.mo`` is kept beside its
``.po`` so an installed wheel needs no build step (``tests/test_messages.py``
checks that it is current and that every message has its translation).
"""

from __future__ import annotations

import functools
import gettext
from collections.abc import Mapping
from pathlib import Path
from typing import Any

#: The gettext domain and where its catalogues are.
DOMAIN = "reportgen"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

#: The locale variables that choose the language of messages, the first set one deciding.
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")


class Text(str):
    """A message: its English text (the ``str`` value) and how to say it in another language.

    Made by ``_``, ``_n`` or ``joined``; ``said(lang)`` is the message in
    ``lang`` (English: the value itself).
    """

    msgid: str
    plural: str | None
    count: int | None
    args: tuple[tuple[str, Any], ...]
    parts: tuple[str, ...] | None

    def __new__(
        cls,
        msgid: str,
        args: Mapping[str, Any] | None = None,
        *,
        plural: str | None = None,
        count: int | None = None,
        parts: tuple[str, ...] | None = None,
    ) -> Text:
        values = dict(args or {})
        if parts is not None:
            english = "".join(parts)
        else:
            chosen = plural if plural is not None and count != 1 else msgid
            english = chosen.format(**values)
        self = super().__new__(cls, english)
        self.msgid, self.plural, self.count, self.parts = msgid, plural, count, parts
        self.args = tuple(values.items())
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.msgid, self.args, self.plural, self.count, self.parts))

    def said(self, lang: str) -> str:
        """The message in ``lang`` (``en``: as it is)."""
        if lang == "en":
            return str(self)
        if self.parts is not None:
            return "".join(said(part, lang) for part in self.parts)
        catalogue = _catalogue(lang)
        if self.plural is not None:
            template = catalogue.ngettext(self.msgid, self.plural, self.count or 0)
        else:
            template = catalogue.gettext(self.msgid)
        values = {name: said(value, lang) for name, value in self.args}
        try:
            return template.format(**values)
        except (KeyError, IndexError, ValueError):  # a broken translation: English, not a crash
            return str(self)


def _rebuild(
    msgid: str,
    args: tuple[tuple[str, Any], ...],
    plural: str | None,
    count: int | None,
    parts: tuple[str, ...] | None,
) -> Text:
    return Text(msgid, dict(args), plural=plural, count=count, parts=parts)


def _(msgid: str, /, **args: Any) -> Text:
    """The message ``msgid`` (a ``str.format`` template) with ``args``; English now, any
    language when said (``Text.said``)."""
    return Text(msgid, args)


def _n(singular: str, plural: str, count: int, /, **args: Any) -> Text:
    """A message whose English has a singular and a plural, chosen by ``count``
    (also given to the template as ``{count}``)."""
    return Text(singular, {"count": count, **args}, plural=plural, count=count)


def N_(msgid: str, /) -> str:
    """``msgid`` as it is: marks a message kept in a table for extraction (``_`` says it later)."""
    return msgid


def joined(*parts: str) -> Text:
    """Messages (and plain text) one after another, each said in the language asked."""
    return Text("", parts=tuple(parts))


def said(value: Any, lang: str) -> Any:
    """``value`` said in ``lang`` when it is a ``Text``; anything else as it is."""
    return value.said(lang) if isinstance(value, Text) else value


@functools.cache
def _catalogue(lang: str) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[lang], fallback=True)


def locale_language(environ: Mapping[str, str]) -> str:
    """``ja`` when the locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``; the first set one) is
    Japanese, ``en`` otherwise."""
    for name in LOCALE_VARIABLES:
        value = environ.get(name, "")
        if value:
            return "ja" if value.lower().startswith("ja") else "en"
    return "en"


def stderr_language(lang: str | None, environ: Mapping[str, str]) -> str:
    """The language of messages on stderr: Japanese with ``--lang ja`` or a Japanese locale."""
    return "ja" if lang == "ja" else locale_language(environ)
