"""Which faces a page shows when there are many: the ends, the ones that matter, ⋮ between.

Tables with one row (or column) per face stay readable for a d6 and a d1000
alike: up to ``WIDE`` faces every one is shown, above it the first three, the
last and any face the text refers to, with ``None`` standing for each gap.
"""

from __future__ import annotations

from collections.abc import Sequence

#: Above this many faces, tables that would get one column (or row) per face are elided.
WIDE = 12

#: Up to this many dice (``--by``) the dice table sets them side by side, two columns a
#: die, which is what an A4 column holds; more dice are one row a die, faces as columns.
SIDE_BY_SIDE = 3

#: Up to this many dice the dice figure draws grouped bars (one hatch a die, a legend);
#: more are a dot plot, one panel a face, the dice named along its axis.
GROUP_BARS = 6

#: Up to this many dice an equation writes each die's term; more are one sum over g.
WRITTEN_DICE = 4

#: Above this many faces, the long per-face tables flow in several columns.
MANY = 40

#: Above this many faces, the per-face tables show the first ``HEAD`` faces and the last
#: ``TAIL`` (and the faces the text refers to): a d1000 is not 40 pages of rows.
HUGE = 100
HEAD, TAIL = 20, 5


def elide(keep: Sequence[int]) -> list[int | None]:
    """Sorted indices with ``None`` wherever a run of indices is skipped."""
    shown: list[int | None] = []
    for index in sorted(set(keep)):
        if shown and shown[-1] is not None and index != shown[-1] + 1:
            shown.append(None)
        shown.append(index)
    return shown


def visible(k: int, seen: Sequence[int] = ()) -> list[int | None]:
    """Face indices a K-row table shows: all for small K, else the ends and ``seen`` (None = ⋮)."""
    return list(range(k)) if k <= WIDE else elide([0, 1, 2, k - 1, *seen])


def rows(k: int, seen: Sequence[int] = ()) -> list[int | None]:
    """Face indices a per-face table lists: all up to ``HUGE``, else its ends and ``seen``."""
    if k <= HUGE:
        return list(range(k))
    return elide([*range(HEAD), *range(k - TAIL, k), *seen])


def written_out(k: int, seen: int) -> list[int | None]:
    """The faces whose terms a sum over k writes out: all for K ≤ 6, else 1, 2, the seen face,
    K (None = ⋯)."""
    return list(range(k)) if k <= 6 else elide([0, 1, seen, k - 1])
