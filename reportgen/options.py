"""The options of a run, one class a stage, each validated once where it is made.

- ``ReadOptions``: how inputs are read (``--faces``, ``--column``, ``--by``,
  ``--counts``, ``--encoding``); ``reportgen.read`` takes them.
- ``StatOptions``: what is computed (``--confidence``, ``--model``, ``--unit``,
  ``--seed``, and the API's ``draws``); ``reportgen.analysis`` takes them, and an
  ``Analysis`` carries them.
- ``RenderOptions``: how results are shown (``--lang``, ``--interval``,
  ``--author``, ``--log-table``); ``reportgen.render`` takes them.
- ``Options``: the three together, as ``make_options(**keywords)`` builds them
  from the API's keywords and the command line's values (``docs/cli.md``).

A bad value raises ``OptionError``, which names the option neutrally: its message
is the command line's (``--confidence 1.5: …``), and the API words it with the
keyword (``confidence=1.5: …``, ``errors.in_python``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from reportgen.errors import OptionError
from reportgen.faces import Faces, parse_faces
from reportgen.printable import clean, unshowable

LANGUAGES = ("en", "ja")
UNITS = ("nat", "bit")
INTERVALS = ("wilson", "exact", "jeffreys", "profile", "goodman", "sison-glaz")

#: Most Monte Carlo draws ``draws=`` may ask for (each costs K binomial variates).
MAX_DRAWS = 10**9

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
    # True: a frequency table; False: throws (a file's header still decides its layout);
    # None: decided by the input (a file's header, a pandas Series' names and index).
    counts: bool | None = None
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
        return cls(name, checked_model(values, name, faces, given=y))


def _fair_d6() -> Model:
    return Model.parse("fair", _d6())


@dataclass(frozen=True)
class StatOptions:
    """What is computed: the confidence level, the model y, the unit of every entropy, the
    seed of every Monte Carlo computation and the draws of the exact test's.

    ``draws`` ``None`` is the default rule of ``analysis.fairness.exact_multinomial``
    (200 000, fewer for dice of many faces); a number is drawn exactly.
    """

    confidence: float = 0.95
    model: Model = field(default_factory=_fair_d6)
    unit: str = "nat"
    seed: int = DEFAULT_SEED
    walk: str | None = None  # with --by: the group the lesson follows (None: decided)
    draws: int | None = None

    def __post_init__(self) -> None:
        _check_confidence(self.confidence)
        _choice("unit", self.unit, UNITS)
        _check_seed(self.seed)
        _check_draws(self.draws)

    @property
    def alpha(self) -> float:
        """α = 1 − confidence: the level of every test (the one place it is computed)."""
        return 1 - self.confidence

    def for_faces(self, faces: Faces) -> StatOptions:
        """These options for a die of ``faces``: a fair model of another K is made anew."""
        if len(self.model.y) == faces.k:
            return self
        if not self.model.fair:
            raise OptionError(
                "model",
                self.model.name,
                f"{len(self.model.y)} probabilities for {faces.k} faces ({faces.describe()})",
            )
        return replace(self, model=Model.parse("fair", faces))


@dataclass(frozen=True)
class RenderOptions:
    """How results are shown: the language, the interval the pages show, the author, and
    whether the report ends with the answers to its exercises, whether a worksheet gives a
    table of the logarithms its exercises need, and whether its name field holds the input's
    name."""

    lang: str = "en"
    interval: str = "wilson"
    author: str | None = None  # the PDF's and HTML's author; None: none is named
    answers: bool = True  # --no-answers: the exercises without their answers
    log_table: bool = False  # worksheets: −log of each n_k/N and y_k, no calculator needed
    names: bool = True  # a worksheet's name field holds the input's name (--no-names: blank)

    def __post_init__(self) -> None:
        if self.author is not None:
            # Free text for the page and the PDF's metadata: cleaned, not refused.
            author = clean(self.author).strip() or None
            object.__setattr__(self, "author", author)
        # The JSON's key (sison_glaz) names the method too; the pages know the flag's.
        object.__setattr__(self, "interval", interval_name(self.interval))
        _choice("interval", self.interval, INTERVALS)
        _choice("lang", self.lang, LANGUAGES)


@dataclass(frozen=True)
class Options:
    """The options of one run, a class a stage."""

    read: ReadOptions = field(default_factory=ReadOptions)
    stats: StatOptions = field(default_factory=StatOptions)
    render: RenderOptions = field(default_factory=RenderOptions)


def _check_confidence(confidence: float, given: object = None) -> None:
    """``confidence`` (the parsed level) in (0, ``MAX_CONFIDENCE``]; errors name ``given``,
    the value as the user gave it (``"95%"``), when it differs."""
    given = confidence if given is None else given
    if not (isinstance(confidence, float) and 0 < confidence < 1):
        raise OptionError(
            "confidence",
            given,
            "give a level between 0 and 1, e.g. 0.95",
            shown=str(confidence),
        )
    if confidence > MAX_CONFIDENCE:
        raise OptionError(
            "confidence",
            given,
            "too close to 1 for finite intervals",
            shown=repr(confidence),
            hint=f"at most {MAX_CONFIDENCE!r}",
        )


def _check_seed(seed: int) -> None:
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**63:
        raise OptionError("seed", seed, "give a whole number from 0 to 2**63 - 1", shown=repr(seed))


def _check_draws(draws: int | None) -> None:
    if draws is None:
        return
    if isinstance(draws, bool) or not isinstance(draws, int) or not 1 <= draws <= MAX_DRAWS:
        reason = "give a whole number of draws from 1 to 10**9"
        raise OptionError("draws", draws, reason, shown=repr(draws))


def parse_seed(text: str) -> int:
    """``--seed``: a whole number from 0 to 2⁶³ − 1."""
    try:
        value = int(text.strip())
    except ValueError:
        raise OptionError("seed", text, "not a whole number") from None
    _check_seed(value)
    return value


def _check_columns(column: str | None, by: str | None) -> None:
    for option, name in (("column", column), ("by", by)):
        char = None if name is None else unshowable(name)
        if char is not None:
            raise OptionError(
                option,
                name,
                f"a column name holds a control character ({char})",
                shown=repr(name),
                hint="name the column as its header spells it",
            )


def _choice(option: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise OptionError(option, value, f"choose one of {', '.join(allowed)}")


def interval_name(name: str) -> str:
    """An interval method as ``--interval`` names it (the JSON's ``sison_glaz``: ``sison-glaz``)."""
    spelled = name.replace("_", "-") if isinstance(name, str) else name
    return spelled if spelled in INTERVALS else name


def parse_confidence(text: str) -> float:
    """``--confidence``: ``0.95`` or ``95%``."""
    try:
        value = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        raise OptionError("confidence", text, "not a number") from None
    if not math.isfinite(value):
        raise OptionError("confidence", text, "not a number")
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
        raise OptionError("model", spec, "probabilities must be numbers") from None
    return checked_model(y, spec, faces)


def checked_model(
    y: Sequence[float], spec: str, faces: Faces, given: object = None
) -> tuple[float, ...]:
    """``y`` if it is K finite probabilities ≥ 0 summing to 1; else ``OptionError`` showing
    ``spec`` (and ``given``, the probabilities as the API was given them)."""
    given = spec if given is None else given
    if len(y) != faces.k:
        raise _wrong_count(spec, faces, len(y), given)
    if not all(math.isfinite(y_k) and y_k >= 0 for y_k in y):
        raise OptionError("model", given, "probabilities must be finite and ≥ 0", shown=spec)
    if abs(math.fsum(y) - 1) > MODEL_TOLERANCE:
        reason = f"probabilities sum to {math.fsum(y)!r}, not 1"
        raise OptionError("model", given, reason, shown=spec)
    return tuple(y)


def _wrong_count(spec: str, faces: Faces, got: int, given: object = None) -> OptionError:
    return OptionError(
        "model",
        spec if given is None else given,
        f"give {faces.k} probabilities, one per face ({faces.describe()}), not {got}",
        shown=spec,
        hint="or --model fair",
    )


def make_options(
    *,
    faces: int | str | Sequence[int | str] = 6,
    column: str | None = None,
    by: str | None = None,
    counts: bool | None = None,
    encoding: str | None = None,
    confidence: float | str = 0.95,
    interval: str = "wilson",
    model: str | Sequence[float] = "fair",
    unit: str = "nat",
    lang: str = "en",
    author: str | None = None,
    seed: int = DEFAULT_SEED,
    walk: str | None = None,
    answers: bool = True,
    log_table: bool = False,
    draws: int | None = None,
    names: bool = True,
) -> Options:
    """Validated ``Options`` from keyword arguments: ``reportgen.analyse``'s and the CLI's.

    ``faces`` is a number K, a ``--faces`` string such as ``"H,T"``, or a
    sequence of labels; ``confidence`` a level such as ``0.95`` or, as on the
    command line, a string (``"0.95"``, ``"95%"``); ``model`` is ``"fair"`` or K
    probabilities; ``counts`` ``None`` lets the input decide (``ReadOptions``);
    ``draws`` the exact test's Monte Carlo draws (``None``: its default rule).
    A bad value raises ``OptionError``.
    """
    parsed = _faces_of(faces)
    # Checked in one order whatever the stage, so of several bad options the same is named.
    level = confidence_level(confidence)
    _check_columns(column, by)
    interval = interval_name(interval)
    _choice("interval", interval, INTERVALS)
    _choice("unit", unit, UNITS)
    _choice("lang", lang, LANGUAGES)
    if counts is not None and not isinstance(counts, bool):
        raise OptionError("counts", counts, "give True (counts), False (throws) or None")
    return Options(
        ReadOptions(parsed, column, by, counts, encoding),
        StatOptions(
            level,
            Model.parse(model, parsed) if isinstance(model, str) else Model.given(model, parsed),
            unit,
            seed,
            walk,
            draws,
        ),
        RenderOptions(
            lang,
            interval,
            author,
            answers=bool(answers),
            log_table=bool(log_table),
            names=bool(names),
        ),
    )


def _faces_of(faces: int | str | Sequence[int | str]) -> Faces:
    """``faces=``: a number K, a ``--faces`` string, or a sequence of labels."""
    if isinstance(faces, str | int):
        return parse_faces(faces)
    try:
        return parse_faces(",".join(str(face) for face in faces))
    except OptionError as exc:
        exc.value = faces  # the API names the labels as it was given them
        raise


def confidence_level(value: float | str, option: str = "confidence") -> float:
    """A confidence level as ``confidence=`` takes it (``0.95``, ``"0.95"``, ``"95%"``),
    checked; an ``OptionError`` names ``option`` (e.g. ``conf_int``'s ``level``)."""
    try:
        level = _level_of(value)
        _check_confidence(level, given=value)
    except OptionError as exc:
        exc.option = option
        raise
    return level


def _level_of(confidence: float | str) -> float:
    """``confidence=``: a number, or a string as ``--confidence`` takes it (``"95%"``)."""
    if isinstance(confidence, str):
        return parse_confidence(confidence)
    if isinstance(confidence, int) and not isinstance(confidence, bool):
        return float(confidence)
    return confidence
