"""The faces of a die: parsing ``--faces`` and turning cells into face indices.

Faces are either the whole numbers 1..K (``--faces 6``) or explicit labels
(``--faces H,T``). Inside the program a throw is the index k (0-based) of its
face in ``Faces.labels``; labels come back only for presentation.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from reportgen.errors import OptionError
from reportgen.printable import unshowable
from reportgen.say import _, _n

#: Dice people own: a face beyond K that is one of these suggests ``--faces``.
COMMON_DICE = (2, 4, 6, 8, 10, 12, 20, 100)

#: Most faces a die may have; the one-hot and per-face tables grow with K.
MAX_FACES = 1000

#: Cells spreadsheets and data tools write for a missing value.
MISSING = ("na", "n/a", "nan", "null", "none", "-", "#n/a")

#: At most this many wrong whole numbers in an input of good throws are typos.
TYPOS = 2

_LONG_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.0*)?")

#: A date or a time as a workbook's date cell reads (``2026-01-03``, ``10:15:00``).
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[ T][0-9:.]+)?|[0-9]{2}:[0-9]{2}:[0-9]{2}")


def normalise_cell(cell: str) -> str:
    """Unicode NFKC (full-width digits become ASCII) and surrounding spaces removed."""
    return unicodedata.normalize("NFKC", cell).strip()


def show_cell(cell: str, limit: int = 40) -> str:
    """A cell as an error message quotes it: control characters escaped, long cells cut."""
    text = cell.encode("unicode_escape").decode("ascii") if not cell.isprintable() else cell
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Faces:
    """The K faces of a die, in report order."""

    labels: tuple[int | str, ...]

    @property
    def k(self) -> int:
        return len(self.labels)

    @property
    def numeric(self) -> bool:
        return all(isinstance(label, int) for label in self.labels)

    def describe(self) -> str:
        """How an error message names the allowed faces: ``1..6`` or ``H, T``."""
        if self.numeric and list(self.labels) == list(range(1, self.k + 1)):
            return f"1..{self.k}"
        return ", ".join(str(label) for label in self.labels)

    def index(self, cell: str) -> tuple[int | None, str]:
        """Index of the face a cell names, or ``(None, reason)`` when it names none.

        Numeric faces accept ``3``, ``３``, `` 3 `` and ``3.0``; labels match
        exactly after normalisation (NFKC, surrounding spaces).
        """
        text = normalise_cell(cell)
        if text == "":
            return None, _("empty cell where a face was expected")
        if not self.numeric:
            try:
                return self.labels.index(text), ""
            except ValueError:
                return None, _(
                    "face '{cell}' is not one of {faces}",
                    cell=show_cell(cell),
                    faces=self.describe(),
                )
        value = whole_number(text)
        if value is None:
            return None, _("face '{cell}' is not a whole number", cell=show_cell(cell))
        try:
            return self.labels.index(value), ""
        except ValueError:
            return None, _(
                "face '{cell}' is not one of {faces}", cell=show_cell(cell), faces=self.describe()
            )

    def hint_for(self, cell: str, census: Census | None = None) -> str | None:
        """A fix hint for a cell that names no face.

        Parameters
        ----------
        cell : str
            The cell as read.
        census : Census, optional
            What the whole input held. With it, a whole number that is no face is
            called a typo when such numbers are few among good throws (``a typo? 29
            other throws are 1..6``), and a larger die is suggested only when many
            values lie above K and the data look like that die (``a d8? use --faces
            8``). Without it (a single value, e.g. one throw sent to the live
            server) the smallest common die that holds the value is suggested.

        Returns
        -------
        str or None
            The hint, or ``None`` when there is none to give.
        """
        text = normalise_cell(cell)
        value = whole_number(text)
        if census is not None and self.numeric and value is not None:
            return census.hint(value, self)
        if self.numeric and value is not None and self.k < value <= MAX_FACES:
            return _die_hint(value)
        if self.numeric and value is not None and value > MAX_FACES:
            return _("no die has that many faces")
        if self.numeric and value is None and text:
            if text.casefold() in MISSING:
                return _("a missing throw? remove the row")
            if _LONG_NUMBER.fullmatch(text):
                return _("no die has that many faces")
            if _DATE.fullmatch(text):
                return _("a date: is the column formatted as dates? format it as numbers")
            return _("faces are whole numbers; use --faces LABELS for named faces")
        return None


def _die_hint(value: int) -> str:
    """The smallest common die that has a face ``value``."""
    for sides in COMMON_DICE:
        if sides >= value:
            return _("a d{sides}? use --faces {sides}", sides=sides)
    return _("use --faces {value}", value=value)


@dataclass
class Census:
    """What one input held, counted while it is read, so hints see the whole file.

    Attributes
    ----------
    good : int
        Rows whose face was read (set when the reading ends).
    wrong : dict of int to int
        Whole numbers that name no face, each with the number of rows that hold it.
    noun : str
        What a row is, as a hint names it: ``throws`` (a log) or ``rows`` (a frequency table).
    """

    good: int = 0
    wrong: dict[int, int] = field(default_factory=dict)
    noun: str = "throws"

    def note(self, value: int) -> None:
        """One more row holding the whole number ``value``, which names no face."""
        self.wrong[value] = self.wrong.get(value, 0) + 1

    def larger_die(self, k: int) -> int | None:
        """The smallest common die D > K the data look like, or ``None``.

        They look like a dD when at least 3 rows, and at least a tenth of all
        rows, hold values in K+1..D, and at most ``TYPOS`` rows hold values above D.
        """
        rows = self.good + sum(self.wrong.values())
        for sides in COMMON_DICE:
            if sides <= k:
                continue
            inside = sum(n for v, n in self.wrong.items() if k < v <= sides)
            beyond = sum(n for v, n in self.wrong.items() if v > sides)
            if inside >= 3 and 10 * inside >= rows and beyond <= TYPOS:
                return sides
        return None

    def typos(self) -> bool:
        """Whether the wrong numbers are few among good rows: at most ``TYPOS``, or 1 in 50."""
        wrong = sum(self.wrong.values())
        return self.good > 0 and wrong <= max(TYPOS, self.good // 50)

    def hint(self, value: int, faces: Faces) -> str | None:
        """The hint for a row holding ``value`` (a whole number that is not a face)."""
        die = self.larger_die(faces.k)
        if die is not None:
            if faces.k < value <= die:
                return _("a d{sides}? use --faces {sides}", sides=die)
            if self.noun == "rows":
                return _("a typo? the other rows look like a d{sides}", sides=die)
            return _("a typo? the other throws look like a d{sides}", sides=die)
        if self.typos():
            if self.noun == "rows":
                return _n(
                    "a typo? {count} other row is {faces}",
                    "a typo? {count} other rows are {faces}",
                    self.good,
                    faces=faces.describe(),
                )
            return _n(
                "a typo? {count} other throw is {faces}",
                "a typo? {count} other throws are {faces}",
                self.good,
                faces=faces.describe(),
            )
        if value > MAX_FACES:
            return _("no die has that many faces")
        return None


#: A whole number as a log writes it: ``3``, ``+3``, ``-1``, ``3.0``, ``03``; ASCII digits only
#: (after NFKC), so ``1e1``, ``3_0``, ``0x3`` and other scripts' digits are not numbers.
_WHOLE = re.compile(r"([+-]?[0-9]+)(?:\.0*)?")

#: More digits than any die needs; longer numbers are reported, not converted.
_MAX_DIGITS = 30


def whole_number(text: str) -> int | None:
    """``'3'`` and ``'3.0'`` are 3; ``'3.5'``, ``'nan'``, ``'inf'``, ``'1e1'`` and words are not."""
    match = _WHOLE.fullmatch(text.replace("\u2212", "-"))  # a typeset minus sign, as in −1
    if match is None or len(match.group(1)) > _MAX_DIGITS:
        return None
    return int(match.group(1))


def parse_faces(spec: str | int) -> Faces:
    """``--faces``: a number K (faces 1..K) or comma-separated labels (``H,T``).

    A bad one raises ``OptionError`` (``errors``), worded by the door that took it.
    """
    text = normalise_cell(str(spec))
    if text.isdigit():
        k = int(text)
        if not 2 <= k <= MAX_FACES:
            raise OptionError("faces", spec, f"a die has 2 to {MAX_FACES} faces", shown=text)
        return Faces(tuple(range(1, k + 1)))
    labels = [normalise_cell(part) for part in text.split(",")]
    if len(labels) < 2 or any(label == "" for label in labels):
        reason = "give a number of faces or at least two labels, e.g. --faces H,T"
        raise OptionError("faces", spec, reason)
    if len(set(labels)) != len(labels):
        raise OptionError("faces", spec, "a label appears twice")
    for label in labels:
        char = unshowable(label)
        if char is not None:
            reason = f"the label {label!r} holds a control character ({char})"
            raise OptionError("faces", spec, reason, shown="")
    if len(labels) > MAX_FACES:
        raise OptionError("faces", spec, f"a die has at most {MAX_FACES} faces", shown="")
    parsed = [whole_number(label) for label in labels]
    if all(value is not None for value in parsed):
        return Faces(tuple(int(value) for value in parsed))  # e.g. --faces 0,1
    return Faces(tuple(labels))
