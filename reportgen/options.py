"""The options of a run, one class a stage, each validated once where it is made.

- ``ReadOptions``: how inputs are read (``--faces``, ``--column``, ``--by``,
  ``--counts``, ``--encoding``); ``reportgen.read`` takes them.
- ``StatOptions``: what is computed (``--confidence``, ``--model``, ``--unit``);
  ``reportgen.analysis`` takes them, and an ``Analysis`` carries them.
- ``RenderOptions``: how results are shown (``--lang``, ``--interval``,
  ``--author``); ``reportgen.render`` takes them.
- ``Options``: the three together, as ``make_options(**keywords)`` builds them
  from the API's keywords and the command line's values (``docs/cli.md``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from reportgen.errors import UsageError
from reportgen.faces import Faces, parse_faces
from reportgen.printable import clean, unshowable
from reportgen.say import _

LANGUAGES = ("en", "ja")
UNITS = ("nat", "bit")
INTERVALS = ("wilson", "exact", "jeffreys", "profile", "goodman", "sison-glaz")

#: How far the probabilities of ``--model`` may sum from 1.
MODEL_TOLERANCE = 1e-9

#: The seed of every Monte Carlo computation unless ``--seed`` says otherwise: fixed, so
#: the same input and options give the same numbers, run after run.
DEFAULT_SEED = 20_260_127

#: The highest ``--confidence`` every interval method answers with finite bounds:
#: 1 − 2⁻⁵², the float below 0.9999999999999999 (= 1 − 2⁻⁵³, the largest float under
#: 1). At 1 − 2⁻⁵³ Wilson's quantile Φ⁻¹(½ + level/2) is Φ⁻¹(1) = ∞; every other
#: method is finite there too, and every float level above 0 (down to 5e-324) gives
#: finite intervals for every method (tests/analysis/test_edge_values.py tries them).
MAX_CONFIDENCE = 1 - 2**-52


def _d6() -> Faces:
    return parse_faces(6)


@dataclass(frozen=True)
class ReadOptions:
    """How the inputs are read; every field has the command line's default."""

    faces: Faces = field(default_factory=_d6)
    column: str | None = None
    by: str | None = None
    counts: bool = False
    encoding: str | None = None  # None: detected (read.text.detect_encoding)

    def __post_init__(self) -> None:
        _check_columns(self.column, self.by)


@dataclass(frozen=True)
class Model:
    """The model y of ``--model``: its name (``fair``, or the probabilities as given) and y_k."""

    name: str
    y: tuple[float, ...]

    @property
    def fair(self) -> bool:
        return self.name == "fair"

    @classmethod
    def parse(cls, spec: str, faces: Faces) -> Model:
        """``--model``: ``fair`` or K probabilities (see ``parse_model``)."""
        return cls(spec, parse_model(spec, faces))

    @classmethod
    def given(cls, y: Sequence[float], faces: Faces) -> Model:
        """A model from probabilities (the API's ``model=[…]``), named as JSON writes them."""
        values = tuple(float(y_k) for y_k in y)
        name = ",".join(repr(y_k) for y_k in values)
        return cls(name, checked_model(values, name, faces))


def _fair_d6() -> Model:
    return Model.parse("fair", _d6())


@dataclass(frozen=True)
class StatOptions:
    """What is computed: the confidence level, the model y, the unit of every entropy, and
    the seed of every Monte Carlo computation."""

    confidence: float = 0.95
    model: Model = field(default_factory=_fair_d6)
    unit: str = "nat"
    seed: int = DEFAULT_SEED
    walk: str | None = None  # with --by: the group the lesson follows (None: decided)

    def __post_init__(self) -> None:
        _check_confidence(self.confidence)
        _choice("--unit", self.unit, UNITS)
        _check_seed(self.seed)

    @property
    def alpha(self) -> float:
        """α = 1 − confidence: the level of every test (the one place it is computed)."""
        return 1 - self.confidence

    def for_faces(self, faces: Faces) -> StatOptions:
        """These options for a die of ``faces``: a fair model of another K is made anew."""
        if len(self.model.y) == faces.k:
            return self
        if not self.model.fair:
            raise UsageError(
                _(
                    "--model {name}: {len} probabilities for {k} faces ({describe})",
                    name=self.model.name,
                    len=len(self.model.y),
                    k=faces.k,
                    describe=faces.describe(),
                )
            )
        return replace(self, model=Model.parse("fair", faces))


@dataclass(frozen=True)
class RenderOptions:
    """How results are shown: the language, the interval the pages show, the author, and
    whether a worksheet's name field holds the input's name."""

    lang: str = "en"
    interval: str = "wilson"
    author: str | None = None  # the PDF's and HTML's author; None: none is named
    names: bool = True  # a worksheet's name field holds the input's name (--no-names: blank)

    def __post_init__(self) -> None:
        if self.author is not None:
            # Free text for the page and the PDF's metadata: cleaned, not refused.
            author = clean(self.author).strip() or None
            object.__setattr__(self, "author", author)
        _choice("--interval", self.interval, INTERVALS)
        _choice("--lang", self.lang, LANGUAGES)


@dataclass(frozen=True)
class Options:
    """The options of one run, a class a stage."""

    read: ReadOptions = field(default_factory=ReadOptions)
    stats: StatOptions = field(default_factory=StatOptions)
    render: RenderOptions = field(default_factory=RenderOptions)


def _check_confidence(confidence: float) -> None:
    if not (isinstance(confidence, float) and 0 < confidence < 1):
        raise UsageError(
            _(
                "--confidence {confidence}: give a level between 0 and 1, e.g. 0.95",
                confidence=confidence,
            )
        )
    if confidence > MAX_CONFIDENCE:
        raise UsageError(
            _(
                "--confidence {confidence!r}: too close to 1 for finite intervals",
                confidence=confidence,
            ),
            hint=_("at most {MAX_CONFIDENCE!r}", MAX_CONFIDENCE=MAX_CONFIDENCE),
        )


def _check_seed(seed: int) -> None:
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**63:
        raise UsageError(_("--seed {seed!r}: give a whole number from 0 to 2**63 - 1", seed=seed))


def parse_seed(text: str) -> int:
    """``--seed``: a whole number from 0 to 2⁶³ − 1."""
    try:
        value = int(text.strip())
    except ValueError:
        raise UsageError(_("--seed {text}: not a whole number", text=text)) from None
    _check_seed(value)
    return value


def _check_columns(column: str | None, by: str | None) -> None:
    for option, name in (("--column", column), ("--by", by)):
        char = None if name is None else unshowable(name)
        if char is not None:
            raise UsageError(
                _(
                    "{option} {name!r}: a column name holds a control character ({char})",
                    option=option,
                    name=name,
                    char=char,
                ),
                hint=_("name the column as its header spells it"),
            )


def _choice(option: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise UsageError(
            _(
                "{option} {value}: choose one of {join}",
                option=option,
                value=value,
                join=", ".join(allowed),
            )
        )


def parse_confidence(text: str) -> float:
    """``--confidence``: ``0.95`` or ``95%``."""
    try:
        value = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        raise UsageError(_("--confidence {text}: not a number", text=text)) from None
    if not math.isfinite(value):
        raise UsageError(_("--confidence {text}: not a number", text=text))
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
        raise _wrong_count(spec, faces, len(parts))
    try:
        y = tuple(float(part) for part in parts)
    except ValueError:
        raise UsageError(_("--model {spec}: probabilities must be numbers", spec=spec)) from None
    return checked_model(y, spec, faces)


def checked_model(y: Sequence[float], spec: str, faces: Faces) -> tuple[float, ...]:
    """``y`` if it is K finite probabilities ≥ 0 summing to 1; ``UsageError`` naming ``spec``."""
    if len(y) != faces.k:
        raise _wrong_count(spec, faces, len(y))
    if not all(math.isfinite(y_k) and y_k >= 0 for y_k in y):
        raise UsageError(_("--model {spec}: probabilities must be finite and ≥ 0", spec=spec))
    if abs(math.fsum(y) - 1) > MODEL_TOLERANCE:
        raise UsageError(
            _("--model {spec}: probabilities sum to {fsum!r}, not 1", spec=spec, fsum=math.fsum(y))
        )
    return tuple(y)


def _wrong_count(spec: str, faces: Faces, got: int) -> UsageError:
    return UsageError(
        _(
            "--model {spec}: give {k} probabilities, one per face ({describe}), not {got}",
            spec=spec,
            k=faces.k,
            describe=faces.describe(),
            got=got,
        ),
        hint=_("or --model fair"),
    )


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
    seed: int = DEFAULT_SEED,
    walk: str | None = None,
    names: bool = True,
) -> Options:
    """Validated ``Options`` from keyword arguments: ``reportgen.analyse``'s and the CLI's.

    ``faces`` is a number K, a ``--faces`` string such as ``"H,T"``, or a
    sequence of labels; ``model`` is ``"fair"`` or K probabilities.
    """
    if isinstance(faces, str | int):
        parsed: Faces = parse_faces(faces)
    else:
        parsed = parse_faces(",".join(str(face) for face in faces))
    if isinstance(confidence, int) and not isinstance(confidence, bool):
        confidence = float(confidence)
    # Checked in one order whatever the stage, so of several bad options the same is named.
    _check_confidence(confidence)
    _check_columns(column, by)
    _choice("--interval", interval, INTERVALS)
    _choice("--unit", unit, UNITS)
    _choice("--lang", lang, LANGUAGES)
    return Options(
        ReadOptions(parsed, column, by, counts, encoding),
        StatOptions(
            confidence,
            Model.parse(model, parsed) if isinstance(model, str) else Model.given(model, parsed),
            unit,
            seed,
            walk,
        ),
        RenderOptions(lang, interval, author, names=bool(names)),
    )
