"""The roll log as the analysis receives it, and the one tally that builds it.

A ``RollLog`` keeps only what the report needs: the counts per face (sufficient
statistics for every total), the first throws in file order (for the lesson's
per-throw tables) and cumulative counts at checkpoints (for the running mean).
Every reader, whether the CSV rows, the numpy fast path or throws already in
memory, fills the same ``Tally``, so all of them agree to the last checkpoint.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from reportgen.errors import DataError
from reportgen.faces import Faces
from reportgen.say import _

#: How many throws, in file order, the report's per-throw tables show.
FIRST_THROWS = 20

#: An input file of at most this many bytes is kept as read (``RollLog.stored``): a PDF
#: carries it, and the reader reads it once. 1 MiB keeps a lesson PDF mailable.
KEPT_BYTES = 1 << 20


@dataclass(frozen=True)
class RollLog:
    """A validated roll log, reduced to what the analysis needs.

    Attributes
    ----------
    source : str
        The input as the user named it (``-`` for standard input).
    sha256 : str
        Hex digest of the input's bytes as stored (compressed, for ``.gz``).
    column : str or None
        Header of the face column; ``None`` for a headerless single column.
    format : str
        ``"log"`` (one row per throw) or ``"counts"`` (a frequency table).
    faces : Faces
        The die's faces, in report order.
    counts : tuple of int
        n_k, the number of throws that showed face k.
    first_faces : tuple of int
        Face indices of the first throws (at most ``FIRST_THROWS``), in file order.
    checkpoints : tuple of (int, tuple of int)
        Cumulative counts after throw m, for m = 1, 2, … 20 and then about 5%
        apart up to N: enough to draw the running mean cross-entropy of the
        whole log without keeping it. Empty for a frequency table.
    by : str or None
        Header of the ``--by`` group column, if one was asked for.
    groups : tuple of (str, RollLog)
        With ``--by``: one log per group (its own counts, first throws and
        checkpoints), in order of first appearance. Empty otherwise.
    name : str
        How pages and a PDF's attachments name the input: the file's name
        without its directories (``default_name``), so the same data give the
        same pages however the path was typed. ``source`` keeps the path as given.
    stored : bytes or None
        The input file's bytes as stored, when it is a file of at most
        ``KEPT_BYTES`` (a PDF carries them); ``None`` otherwise (standard
        input, data in memory, several parts, a large file).
    """

    source: str
    sha256: str
    column: str | None
    format: str
    faces: Faces
    counts: tuple[int, ...]
    first_faces: tuple[int, ...]
    checkpoints: tuple[tuple[int, tuple[int, ...]], ...] = ()
    by: str | None = None
    groups: tuple[tuple[str, RollLog], ...] = ()
    name: str = ""
    stored: bytes | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.name:
            object.__setattr__(self, "name", default_name(self.source))

    @property
    def n(self) -> int:
        return sum(self.counts)


def default_name(source: str) -> str:
    """The input as pages name it: a file's (or URL's) last path segment; ``-`` as itself."""
    if source == "-" or source.startswith("<"):
        return source
    last = source.rstrip("/").rsplit("/", 1)[-1]
    return os.path.basename(last) or source


def next_checkpoint(m: int) -> int:
    """The throw after ``m`` at which cumulative counts are kept: every one up to 20, then ~5%."""
    return max(m + 1, int(m * 1.05))


class Tally:
    """Counts, first throws and checkpoints of a log (or of one ``--by`` group) as it streams.

    Throws come one at a time (``throw``), or, from the numpy fast path, as
    blocks already counted between the checkpoints that ``cuts`` names
    (``account``); frequency-table rows add a count at once (``add_count``).
    """

    def __init__(self, k: int) -> None:
        self.counts = [0] * k
        self.first_faces: list[int] = []
        self.checkpoints: list[tuple[int, tuple[int, ...]]] = []
        self.rows = 0  # rows read: throws of a log, lines of a frequency table
        self._next_checkpoint = 1

    def throw(self, index: int) -> None:
        """One throw that showed face ``index``."""
        self.counts[index] += 1
        self.rows += 1
        if len(self.first_faces) < FIRST_THROWS:
            self.first_faces.append(index)
        if self.rows == self._next_checkpoint:
            self.checkpoints.append((self.rows, tuple(self.counts)))
            self._next_checkpoint = next_checkpoint(self.rows)

    def add_count(self, index: int, count: int) -> None:
        """One row of a frequency table: ``count`` throws of face ``index``."""
        self.counts[index] += count
        self.rows += 1

    @property
    def first_wanted(self) -> int:
        """How many more first throws the tables want."""
        return FIRST_THROWS - len(self.first_faces)

    def cuts(self, lines: int) -> list[int]:
        """Offsets in a block of ``lines`` throws at which a checkpoint falls, plus both ends."""
        cuts = [0]
        m = self._next_checkpoint
        while m <= self.rows + lines:
            cuts.append(m - self.rows)
            m = next_checkpoint(m)
        if cuts[-1] != lines:
            cuts.append(lines)
        return cuts

    def account(self, cuts: Sequence[int], counts: Sequence[Sequence[int]]) -> None:
        """A block of throws counted per face between consecutive ``cuts``."""
        for hi, part in zip(cuts[1:], counts, strict=True):
            self.counts = [a + int(b) for a, b in zip(self.counts, part, strict=True)]
            if self.rows + hi == self._next_checkpoint:
                self.checkpoints.append((self.rows + hi, tuple(self.counts)))
                self._next_checkpoint = next_checkpoint(self._next_checkpoint)
        self.rows += cuts[-1]

    def log(self, source: str, sha256: str, column: str | None, fmt: str, faces: Faces) -> RollLog:
        """The ``RollLog`` of what was tallied; a log's checkpoints always end at N."""
        checkpoints = self.checkpoints
        if fmt == "log" and (not checkpoints or checkpoints[-1][0] != self.rows):
            checkpoints = [*checkpoints, (self.rows, tuple(self.counts))]
        return RollLog(
            source=source,
            sha256=sha256,
            column=column,
            format=fmt,
            faces=faces,
            counts=tuple(self.counts),
            first_faces=tuple(self.first_faces) if fmt == "log" else (),
            checkpoints=tuple(checkpoints) if fmt == "log" else (),
        )


def combine(logs: Sequence[RollLog], source: str, sha256: str) -> RollLog:
    """Merge parts of one log, in order, into one ``RollLog``.

    Counts add up. The first throws are those of the first part(s). Checkpoints
    are exact cumulative counts at each part's checkpoints shifted by the throws
    before it, thinned to the spacing of ``next_checkpoint`` (every throw up to
    20, then about 5% apart) and always ending at N. With ``--by``, groups of the
    same name merge the same way, in order of first appearance over all parts.
    """
    formats = {log.format for log in logs}
    if len(formats) > 1:
        raise DataError(
            _("parts mix roll logs and frequency tables"),
            path=source,
            hint=_("combine parts of one kind"),
        )
    k = logs[0].faces.k
    counts = (0,) * k
    first: list[int] = []
    points: list[tuple[int, tuple[int, ...]]] = []
    offset = 0
    for log in logs:
        for m, cumulative in log.checkpoints:
            points.append(
                (offset + m, tuple(a + b for a, b in zip(counts, cumulative, strict=True)))
            )
        first.extend(log.first_faces[: FIRST_THROWS - len(first)])
        counts = tuple(map(sum, zip(counts, log.counts, strict=True)))
        offset += log.n
    checkpoints: list[tuple[int, tuple[int, ...]]] = []
    wanted_at = 1
    for m, cumulative in points:
        if m >= wanted_at:
            checkpoints.append((m, cumulative))
            wanted_at = next_checkpoint(m)
    if points and checkpoints[-1] != points[-1]:
        checkpoints.append(points[-1])
    groups: dict[str, list[RollLog]] = {}
    for log in logs:
        for name, group in log.groups:
            groups.setdefault(name, []).append(group)
    return replace(
        logs[0],
        source=source,
        name=", ".join(log.name for log in logs),
        stored=None,
        sha256=sha256,
        counts=counts,
        first_faces=tuple(first),
        checkpoints=tuple(checkpoints),
        groups=tuple((name, combine(parts, source, sha256)) for name, parts in groups.items()),
    )
