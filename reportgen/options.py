"""The options one report is made with, validated once, shared by every step."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from reportgen.errors import UsageError
from reportgen.faces import Faces, parse_faces

FORMATS = ("pdf", "html", "json")
LANGUAGES = ("en",)  # "ja" arrives with its message catalogue
UNITS = ("nat", "bit")
INTERVALS = ("wilson", "exact")


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

    def __post_init__(self) -> None:
        if not (isinstance(self.confidence, float) and 0 < self.confidence < 1):
            raise UsageError(
                f"--confidence {self.confidence}: give a level between 0 and 1, e.g. 0.95"
            )
        _choice("--interval", self.interval, INTERVALS)
        _choice("--unit", self.unit, UNITS)
        _choice("--lang", self.lang, LANGUAGES)
        if self.model != "fair":
            raise UsageError(f"--model {self.model}: only 'fair' is supported so far")


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
