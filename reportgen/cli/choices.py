"""The command line's choices checked beyond argparse: the editions, ``--split-by``, and
argparse's own messages as the catalogue's, so they can be said in Japanese."""

from __future__ import annotations

import re

from reportgen.errors import UsageError
from reportgen.printable import unshowable
from reportgen.render.formats import EDITIONS, FORMATS
from reportgen.say import N_, _

#: The edition that is only the class's public overview (``class-public.pdf``).
PUBLIC = "class"


def checked_editions(values: list[str] | None, formats: tuple[str, ...]) -> tuple[str, ...]:
    """``--edition``, comma-separated or repeated, each checked against the formats."""
    chosen: list[str] = []
    for value in values or ["report"]:
        for name in (part.strip().lower() for part in value.split(",")):
            if name not in (*EDITIONS, PUBLIC):
                raise UsageError(
                    _(
                        "--edition {name}: choose from {choices}",
                        name=name,
                        choices=", ".join([*EDITIONS, PUBLIC]),
                    )
                )
            if name not in chosen:
                chosen.append(name)
    for name in formats:
        for edition in chosen:
            if edition == PUBLIC and name not in ("pdf", "html"):
                raise UsageError(
                    _(
                        "--edition class with -f {format}: the class overview is a page",
                        format=name,
                    ),
                    hint=_("use -f pdf or -f html"),
                )
            if edition != PUBLIC and edition not in FORMATS[name].editions:
                raise UsageError(
                    _(
                        "--edition {edition} with -f {format}: the {upper} results have one "
                        "edition",
                        edition=edition,
                        format=name,
                        upper=name.upper(),
                    ),
                    hint=_("drop {format} from -f, or --edition", format=name),
                )
    return tuple(chosen)


def check_class_options(split_by: str | None, combine: bool) -> None:
    """``--split-by`` names a column as ``--by`` does, and does not mix with ``--combine``."""
    if split_by is not None:
        char = unshowable(split_by)
        if char is not None:
            raise UsageError(
                _(
                    "--split-by {name!r}: a column name holds a control character ({char})",
                    name=split_by,
                    char=char,
                ),
                hint=_("name the column as its header spells it"),
            )
        if combine:
            raise UsageError(
                _("--split-by and --combine: one splits an input, the other joins inputs"),
                hint=_("choose one"),
            )


#: argparse's own messages (Python 3.11+), each as the catalogue's message that says it.
_ARGPARSE = (
    (
        re.compile(
            r"argument (?P<arg>\S+): invalid choice: (?P<value>.+) \(choose from (?P<choices>.+)\)"
        ),
        N_("argument {arg}: invalid choice: {value} (choose from {choices})"),
    ),
    (
        re.compile(r"the following arguments are required: (?P<names>.+)"),
        N_("the following arguments are required: {names}"),
    ),
    (re.compile(r"unrecognized arguments: (?P<args>.+)"), N_("unrecognized arguments: {args}")),
    (
        re.compile(r"argument (?P<arg>\S+): expected one argument"),
        N_("argument {arg}: expected one argument"),
    ),
    (
        re.compile(r"argument (?P<arg>\S+): unknown or non-text encoding (?P<name>.+)"),
        N_("argument {arg}: unknown or non-text encoding {name}"),
    ),
    (
        re.compile(r"argument (?P<arg>\S+): invalid (?P<type>\w+) value: (?P<value>.+)"),
        N_("argument {arg}: invalid {type} value: {value}"),
    ),
    (
        re.compile(r"argument (?P<arg>\S+): ignored explicit argument (?P<value>.+)"),
        N_("argument {arg}: ignored explicit argument {value}"),
    ),
)


def argparse_message(message: str) -> str:
    """argparse's message as one of the catalogue's (``_ARGPARSE``), so it can be said in
    Japanese; the English is argparse's own, unchanged. Another message stays as it is."""
    for pattern, msgid in _ARGPARSE:
        match = pattern.fullmatch(message)
        if match is not None:
            return _(msgid, **match.groupdict())
    return message
