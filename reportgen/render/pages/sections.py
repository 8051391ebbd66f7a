"""What every section of the report may show: ``Facts``, shared by the sections' page data."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from reportgen.analysis import Throw
from reportgen.render.words import Words

#: The catalogue's words every section may use (the rest belong to one section each).
SHARED_WORDS = (
    "sentence_gap",
    "list_separator",
    "numbers",
    "units",
    "intervals",
    "log_names",
    "figures",
)


@dataclass(frozen=True)
class Facts:
    """The die, the unit, the level, the model and the first throw, as every section shows them.

    ``words``: the catalogue's shared words (``SHARED_WORDS``); ``shown``: the
    throws the per-throw tables list; ``face_rows``: the faces the per-face
    tables list (``None`` = ⋮, for many faces).
    """

    words: Words
    n: int
    k: int
    faces: tuple[int | str, ...]
    unit: str
    unit_name: Markup
    confidence: float
    interval: str
    interval_name: Markup
    wide: bool
    many: bool
    coin: bool
    model_name: Markup
    model_short: Markup
    first_throw: Throw | None
    first_face: int | str | None
    shown: int
    face_rows: list[int | None]
    face_rows_head: int
    face_rows_tail: int
    simultaneous: list[str]

    @property
    def thousands(self) -> str:
        """How a count groups its thousands in this language."""
        return str(self.words.numbers.thousands)
