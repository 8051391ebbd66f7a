"""Two figures the report computes, as functions of their own: ``power`` and ``compare``.

- ``power(effect, faces=…, …)``: how many throws a G-test needs to detect a bias
  of a given size with a given power (the figure the report gives after it keeps
  the model: ``analysis.fairness.throws_for_power``).
- ``compare(result, model_a, model_b)``: two models on the same throws, by their
  likelihood ratio and the difference of their mean cross-entropies.

Both take options as ``reportgen.analyse`` does and raise its errors, their
arguments named as keywords (``effect=…``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from reportgen.analysis import Analysis, entropy
from reportgen.analysis.compute import compare as compare_models
from reportgen.analysis.fairness import POWER, throws_for_power
from reportgen.analysis.result import Comparison
from reportgen.errors import OptionError, python_door
from reportgen.faces import Faces
from reportgen.options import Model, make_options


@python_door
def power(
    effect: float | Sequence[float],
    *,
    faces: int | str | Sequence[int | str] = 6,
    model: str | Sequence[float] = "fair",
    confidence: float | str = 0.95,
    power: float = POWER,
    unit: str = "nat",
) -> int:
    """Throws a G-test at α = 1 − ``confidence`` needs to reject ``model`` with ``power``.

    Under a die whose true probabilities p differ from the model y by
    KL(p ‖ y), the G statistic of N throws is about noncentral χ² with
    df = K − 1 (the faces the model allows, minus 1) and noncentrality
    2N·KL(p ‖ y) in nats; the answer is the smallest N that rejects with
    probability ``power`` (``analysis.fairness.throws_for_power``).

    Parameters
    ----------
    effect : float or sequence of float
        The bias to detect: KL(p ‖ y) per throw in ``unit`` (the report's
        ``reference.kl_divergence``), or the true probabilities p, a face each.
    faces, model, confidence, unit
        As ``reportgen.analyse`` takes them: the die (6), the model (fair), the
        level of the test (0.95, or ``"95%"``) and the unit of a KL ``effect``.
    power : float
        The probability of rejecting the model when ``effect`` is true, in (α, 1).

    Returns
    -------
    int
        The number of throws.

    Examples
    --------
    >>> import reportgen
    >>> reportgen.power(0.05)  # KL of 0.05 nats a throw, a d6
    129
    >>> reportgen.power([0.25, 0.15, 0.15, 0.15, 0.15, 0.15], power=0.9)  # loaded on 1
    369
    >>> reportgen.power(0.1, faces="H,T", confidence="99%")
    59
    """
    options = make_options(faces=faces, model=model, confidence=confidence, unit=unit)
    y, alpha = options.stats.model.y, options.stats.alpha
    if isinstance(effect, int | float) and not isinstance(effect, bool):
        kl = effect * entropy.NATS[unit]
    else:
        kl = entropy.kl_divergence(_model(effect, options.read.faces, "effect").y, y)
    if not (kl > 0 and math.isfinite(kl)):
        raise OptionError("effect", effect, "give a bias of finite size > 0 to detect")
    if not (isinstance(power, float) and alpha < power < 1):
        raise OptionError("power", power, f"give a probability between α = {alpha:g} and 1")
    needed = throws_for_power(kl, entropy.model_df(y), alpha, power)
    if needed is None:
        raise OptionError("model", model, "a model with one possible face leaves nothing to test")
    return needed


@python_door
def compare(
    result: Analysis,
    model_a: str | Sequence[float] | Analysis,
    model_b: str | Sequence[float] | Analysis,
) -> Comparison:
    """Two models of the same throws: the likelihood ratio and the cross-entropy difference.

    L(a)/L(b) = Π_k (a_k / b_k)^{n_k}, and the mean cross-entropies (4.3) of the
    throws under each: the model with the lower one predicts them better, by
    exactly the log likelihood ratio over N.

    Parameters
    ----------
    result : Report
        What ``reportgen.analyse`` returned: its counts, faces and unit.
    model_a, model_b : str, sequence of float, or Report
        ``"fair"``, K probabilities (as ``model=`` takes them), or another
        result, whose ŷ is the model (e.g. another die's throws).

    Returns
    -------
    Comparison
        ``a`` and ``b`` (each model's figures, as ``reference``),
        ``log_likelihood_ratio`` (nats), ``likelihood_ratio`` and
        ``cross_entropy_difference`` (a's − b's, in the result's unit).

    Examples
    --------
    >>> import reportgen
    >>> result = reportgen.analyse([4, 2, 6, 1, 4, 3, 5, 2, 4, 6, 1, 4, 5, 3, 2, 4, 6, 1, 5, 6])
    >>> loaded = [0.1, 0.1, 0.1, 0.4, 0.1, 0.2]
    >>> found = reportgen.compare(result, loaded, "fair")
    >>> round(found.log_likelihood_ratio, 4), round(found.likelihood_ratio, 4)
    (-0.5125, 0.599)
    >>> round(found.cross_entropy_difference, 5)  # nats a throw: the fair die predicts better
    0.02562
    >>> found.a.model, round(found.b.cross_entropy_total, 4)
    ('0.1,0.1,0.1,0.4,0.1,0.2', 35.8352)
    """
    faces = result.log.faces
    a = _model(model_a, faces, "model_a")
    b = _model(model_b, faces, "model_b")
    return compare_models(result.log, a, b, result.options.unit)


def _model(spec: str | Sequence[float] | Analysis, faces: Faces, option: str) -> Model:
    """A model as ``model=`` takes it, or another result's ŷ; errors name ``option``."""
    try:
        if isinstance(spec, Analysis):
            if spec.log.faces != faces:
                raise OptionError(option, spec, f"its faces are not {faces.describe()}")
            return Model("mle", spec.mle)
        return Model.parse(spec, faces) if isinstance(spec, str) else Model.given(spec, faces)
    except OptionError as exc:
        exc.option = option
        raise
