"""The live lesson's state, throw by throw: counts, N, ŷ and the running means.

No I/O and no words: throws go in (``Session.add``), a frozen ``State`` comes
out, and every statistic in it comes from ``reportgen.analysis``. The server
keeps one ``Session``; a notebook can keep its own::

    >>> from reportgen.live import Session
    >>> session = Session(faces=6)
    >>> for face in "3 5 3 6".split():
    ...     session.add(face)
    >>> session.state().counts
    (0, 0, 2, 0, 1, 1)

or read a class's LOG as it stands: ``Session.from_log("class.csv")``.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from reportgen.analysis import entropy, estimate
from reportgen.errors import DataError
from reportgen.faces import Faces, parse_faces
from reportgen.options import parse_model
from reportgen.read.log import Tally

#: The interval drawn on the bars: the report's default method and level.
INTERVAL = ("wilson", 0.95)


@dataclass(frozen=True)
class Latest:
    """The throw just added and its cross-entropy (4.3), E = −Σ_k t_k log y_k = −log y_k."""

    index: int  # k, the face's index in ``State.faces``
    source: str  # ``key``, ``phone``, … as LOG records it
    model: float  # −log y_k under the model (∞ when y_k = 0)
    mle: float  # −log ŷ_k under the frequencies so far, this throw included


@dataclass(frozen=True)
class State:
    """Everything the projector shows, at full precision (the page rounds).

    ``running`` holds (m, H(p̂_m), mean of E_1..E_m under the model) at the
    report's checkpoints (every throw up to 20, then about every 5%) and at N:
    H(p̂_m) is the mean cross-entropy of throws 1..m under their own ŷ, the
    gap up to the model's mean their KL divergence from the model, as in the
    report's running-mean figure.
    """

    faces: tuple[int | str, ...]
    model: tuple[float, ...]  # y_k of ``--model``
    counts: tuple[int, ...]
    running: tuple[tuple[int, float, float], ...] = ()
    latest: Latest | None = None

    @property
    def n(self) -> int:
        """N, the number of throws."""
        return sum(self.counts)

    @property
    def mle(self) -> tuple[float, ...] | None:
        """ŷ_k = n_k / N, the maximum-likelihood estimate (none before the first throw)."""
        return estimate.mle(self.counts) if self.n else None

    @property
    def cross_entropy_mean(self) -> dict[str, float | None]:
        """Mean cross-entropy (4.3) of the N throws under ŷ (their entropy) and under the model."""
        mle = self.mle
        if mle is None:
            return {"mle": None, "model": None}
        return {
            "mle": entropy.total(self.counts, mle) / self.n,
            "model": entropy.total(self.counts, self.model) / self.n,
        }

    @property
    def kl_divergence(self) -> float | None:
        """KL(ŷ ‖ y): how much more the model's mean is than ŷ's (the shaded gap at N)."""
        mle = self.mle
        return None if mle is None else entropy.kl_divergence(mle, self.model)

    @property
    def interval(self) -> estimate.Interval | None:
        """The interval of each ŷ_k drawn on the bars (``INTERVAL``)."""
        return estimate.wilson(self.counts, INTERVAL[1]) if self.n else None

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``GET /api/state`` (``docs/live.md``); ∞ becomes ``null``."""
        interval = self.interval
        latest = self.latest
        return {
            "n": self.n,
            "faces": list(self.faces),
            "counts": list(self.counts),
            "mle": None if self.mle is None else list(self.mle),
            "cross_entropy_mean": {key: _finite(v) for key, v in self.cross_entropy_mean.items()},
            "model": list(self.model),
            "kl_divergence": _finite(self.kl_divergence),
            "interval": None
            if interval is None
            else {
                "method": INTERVAL[0],
                "level": INTERVAL[1],
                "low": list(interval.low),
                "high": list(interval.high),
            },
            "running": [[m, _finite(h), _finite(y)] for m, h, y in self.running],
            "latest": None
            if latest is None
            else {
                "face": self.faces[latest.index],
                "index": latest.index,
                "source": latest.source,
                "cross_entropy": {"model": _finite(latest.model), "mle": _finite(latest.mle)},
            },
        }


def _finite(value: float | None) -> float | None:
    """JSON has no ∞: an infinite figure is ``null``, as in ``reportgen -f json`` (and −0 is 0)."""
    return None if value is None or not math.isfinite(value) else value + 0.0


class Session:
    """A live lesson's throws so far, for the server or a notebook.

    Parameters
    ----------
    faces : int, str or Faces
        ``--faces``: K (faces 1..K) or labels such as ``"H,T"``.
    model : str or sequence of float
        ``--model``: ``"fair"`` or K probabilities in face order.
    """

    def __init__(self, faces: int | str | Faces = 6, model: str | Sequence[float] = "fair") -> None:
        self.faces = faces if isinstance(faces, Faces) else parse_faces(faces)
        spec = model if isinstance(model, str) else ",".join(repr(float(y)) for y in model)
        self.model = parse_model(spec, self.faces)
        self._tally = Tally(self.faces.k)
        self._running: list[tuple[int, float, float]] = []  # at the tally's checkpoints
        self._latest: Latest | None = None

    @classmethod
    def from_log(
        cls,
        path: str | os.PathLike[str],
        faces: int | str | Faces = 6,
        model: str | Sequence[float] = "fair",
        warn: Callable[[str], None] | None = None,
    ) -> Session:
        """A session holding the throws of a live LOG as it stands (the file is not changed).

        Lines that are not throws are skipped and handed to ``warn`` (a
        ``UserWarning`` by default).
        """
        import warnings

        from reportgen.live.logfile import LogFile

        session = cls(faces, model)
        log = LogFile(path, session.faces, warn or (lambda text: warnings.warn(text, stacklevel=2)))
        for line in log.open(create=False):
            session.add_index(line.index, line.source)
        return session

    @property
    def n(self) -> int:
        """N, the number of throws so far."""
        return self._tally.rows

    def add(self, face: int | str, source: str = "notebook") -> None:
        """One throw that showed ``face`` (a label: ``4``, ``"4"``, ``"H"``).

        Raises
        ------
        DataError
            ``face`` is not one of the faces.
        """
        index, reason = self.faces.index(str(face))
        if index is None:
            raise DataError(reason, hint=self.faces.hint_for(str(face)))
        self.add_index(index, source)

    def add_index(self, index: int, source: str) -> None:
        """One throw that showed the face ``self.faces.labels[index]``."""
        self._tally.throw(index)
        self._latest = Latest(index, source, math.nan, math.nan)

    def state(self) -> State:
        """The state after the throws so far."""
        counts = tuple(self._tally.counts)
        latest = self._latest
        if latest is not None:
            k = latest.index
            under_mle = entropy.per_face(estimate.mle(counts))[k]
            latest = Latest(k, latest.source, entropy.per_face(self.model)[k], under_mle)
        return State(self.faces.labels, self.model, counts, self._running_means(), latest)

    def _running_means(self) -> tuple[tuple[int, float, float], ...]:
        """(m, H(p̂_m), model's mean) at each checkpoint and at N; past checkpoints kept."""
        checkpoints = self._tally.checkpoints
        for m, counts in checkpoints[len(self._running) :]:
            self._running.append(self._point(m, counts))
        points = list(self._running)
        if self.n and (not points or points[-1][0] != self.n):
            points.append(self._point(self.n, tuple(self._tally.counts)))
        return tuple(points)

    def _point(self, m: int, counts: Sequence[int]) -> tuple[int, float, float]:
        ((_, h),) = entropy.running_entropy([(m, counts)])
        return m, h, entropy.total(counts, self.model) / m

    def __repr__(self) -> str:
        return f"Session(faces={self.faces.describe()!r}, n={self.n}, counts={self._tally.counts})"
