"""The options one report is made with, validated once, shared by every step."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from reportgen.errors import UsageError
from reportgen.faces import Faces, parse_faces
from reportgen.printable import clean, unshowable

FORMATS = ("pdf", "html", "json")
LANGUAGES = ("en", "ja")
UNITS = ("nat", "bit")
INTERVALS = ("wilson", "exact", "jeffreys", "profile", "goodman", "sison-glaz")

#: What ``--edition`` may name: the lesson report; a worksheet that asks; the same answered.
#: How a result is rendered, not what is computed: a render parameter, not an ``Options`` field.
EDITIONS = ("report", "student", "teacher")

#: How far the probabilities of ``--model`` may sum from 1.
MODEL_TOLERANCE = 1e-9

#: The highest ``--confidence`` every interval method answers with finite bounds:
#: 1 − 2⁻⁵², the float below 0.9999999999999999 (= 1 − 2⁻⁵³, the largest float under
#: 1). At 1 − 2⁻⁵³ Wilson's quantile Φ⁻¹(½ + level/2) is Φ⁻¹(1) = ∞; every other
#: method is finite there too, and every float level above 0 (down to 5e-324) gives
#: finite intervals for every method (tests/analysis/test_edge_values.py tries them).
MAX_CONFIDENCE = 1 - 2**-52


@dataclass(frozen=True)
class Options:
    """What the user asked for; every field has the SPEC.md default."""

    faces: Faces = field(default_factory=lambda: parse_faces(6))
    column: str | None = None
    confidence: float = 0.95
    interval: str = "wilson"
    model: str = "fair"
    unit: str = "nat"
    lang: str = "en"
    by: str | None = None
    counts: bool = False
    encoding: str | None = None  # None: detected (see ingest.detect_encoding)
    author: str | None = None  # the PDF's and HTML's author; None: none is named

    def __post_init__(self) -> None:
        if not (isinstance(self.confidence, float) and 0 < self.confidence < 1):
            raise UsageError(
                f"--confidence {self.confidence}: give a level between 0 and 1, e.g. 0.95"
            )
        if self.confidence > MAX_CONFIDENCE:
            raise UsageError(
                f"--confidence {self.confidence!r}: too close to 1 for finite intervals",
                hint=f"at most {MAX_CONFIDENCE!r}",
            )
        for option, name in (("--column", self.column), ("--by", self.by)):
            char = None if name is None else unshowable(name)
            if char is not None:
                raise UsageError(
                    f"{option} {name!r}: a column name holds a control character ({char})",
                    hint="name the column as its header spells it",
                )
        if self.author is not None:
            # Free text for the page and the PDF's metadata: cleaned, not refused.
            author = clean(self.author).strip() or None
            object.__setattr__(self, "author", author)
        _choice("--interval", self.interval, INTERVALS)
        _choice("--unit", self.unit, UNITS)
        _choice("--lang", self.lang, LANGUAGES)
        parse_model(self.model, self.faces)

    @property
    def model_y(self) -> tuple[float, ...]:
        """The probabilities y_k of ``--model``, one per face, in face order."""
        return parse_model(self.model, self.faces)


def check_edition(edition: str) -> str:
    """``edition`` if it is one of ``EDITIONS``; ``UsageError`` otherwise."""
    _choice("--edition", edition, EDITIONS)
    return edition


def _choice(option: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise UsageError(f"{option} {value}: choose one of {', '.join(allowed)}")


def parse_confidence(text: str) -> float:
    """``--confidence``: ``0.95`` or ``95%``."""
    try:
        value = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        raise UsageError(f"--confidence {text}: not a number") from None
    if not math.isfinite(value):
        raise UsageError(f"--confidence {text}: not a number")
    return value


def parse_model(spec: str, faces: Faces) -> tuple[float, ...]:
    """``--model``: ``fair`` (y_k = 1/K) or K probabilities ``0.1,0.2,…`` in face order.

    Each y_k must be a finite number ≥ 0 and Σ y_k = 1 within ``MODEL_TOLERANCE``;
    the values are used as given, not renormalised.
    """
    text = spec.strip()
    if text.casefold() == "fair":
        return tuple(1 / faces.k for _ in range(faces.k))
    parts = [part.strip() for part in text.split(",")]
    if len(parts) != faces.k:
        raise UsageError(
            f"--model {spec}: give {faces.k} probabilities, one per face ({faces.describe()}), "
            f"not {len(parts)}",
            hint="or --model fair",
        )
    try:
        y = tuple(float(part) for part in parts)
    except ValueError:
        raise UsageError(f"--model {spec}: probabilities must be numbers") from None
    if not all(math.isfinite(y_k) and y_k >= 0 for y_k in y):
        raise UsageError(f"--model {spec}: probabilities must be finite and ≥ 0")
    if abs(math.fsum(y) - 1) > MODEL_TOLERANCE:
        raise UsageError(f"--model {spec}: probabilities sum to {math.fsum(y)!r}, not 1")
    return y


def make_options(
    *,
    faces: int | str | Sequence[int | str] = 6,
    column: str | None = None,
    by: str | None = None,
    counts: bool = False,
    encoding: str | None = None,
    confidence: float = 0.95,
    interval: str = "wilson",
    model: str | Sequence[float] = "fair",
    unit: str = "nat",
    lang: str = "en",
    author: str | None = None,
) -> Options:
    """Validated ``Options`` from keyword arguments: ``reportgen.analyse``'s and the CLI's.

    ``faces`` is a number K, a ``--faces`` string such as ``"H,T"``, or a
    sequence of labels; ``model`` is ``"fair"`` or K probabilities.
    """
    if isinstance(faces, str | int):
        parsed: Faces = parse_faces(faces)
    else:
        parsed = parse_faces(",".join(str(face) for face in faces))
    if not isinstance(model, str):
        model = ",".join(repr(float(y)) for y in model)
    if isinstance(confidence, int) and not isinstance(confidence, bool):
        confidence = float(confidence)
    return Options(
        faces=parsed,
        column=column,
        by=by,
        counts=counts,
        encoding=encoding,
        confidence=confidence,
        interval=interval,
        model=model,
        unit=unit,
        lang=lang,
        author=author,
    )
