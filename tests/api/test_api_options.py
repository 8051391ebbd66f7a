"""Issue 26, points 5 and 6: the command line's options, errors naming the argument, and
an API that ``dir()`` and ``help()`` show.

The command line's messages stay as they are (the input battery and
tests/cli pin them); here the API's are the same messages with each flag
written as its keyword.
"""

from __future__ import annotations

import pydoc
import re

import numpy as np
import pytest

import reportgen
from reportgen.options import DEFAULT_SEED
from tests.conftest import DATA, run_cli


def test_confidence_as_the_command_line_writes_it():
    as_number = reportgen.analyse(DATA / "rolls.csv", confidence=0.9)
    for text in ("90%", "0.9"):
        assert reportgen.analyse(DATA / "rolls.csv", confidence=text).to_dict() == (
            as_number.to_dict()
        )


@pytest.mark.parametrize(
    ("keywords", "flags", "message"),
    [
        ({"confidence": 1.5}, ("--confidence", "1.5"), "confidence=1.5: give a level"),
        ({"confidence": "95x%"}, ("--confidence", "95x%"), "confidence='95x%': not a number"),
        ({"model": "0.5,0.6"}, ("--model", "0.5,0.6"), "model='0.5,0.6': give 6 probabilities"),
        ({"faces": "H,H"}, ("--faces", "H,H"), "faces='H,H': a label appears twice"),
    ],
)
def test_errors_name_the_argument_where_the_command_line_names_the_flag(keywords, flags, message):
    with pytest.raises(reportgen.UsageError) as api_error:
        reportgen.analyse(DATA / "rolls.csv", **keywords)
    assert str(api_error.value).startswith(message) and "--" not in str(api_error.value)
    cli = run_cli(DATA / "rolls.csv", *flags, "-f", "json").stderr.decode().strip()
    flag, value = flags
    assert cli.startswith(f"reportgen: error: {flag} {value}: ")  # the flag, as before
    keyword = message.split(":")[0]
    assert cli.removeprefix("reportgen: error: ").replace(f"{flag} {value}", keyword, 1) == (
        str(api_error.value).replace("model='fair'", "--model fair")  # the hint's flag too
    )


def test_errors_of_options_as_python_values_show_the_values_as_given():
    with pytest.raises(reportgen.UsageError, match=r"^model=\[0.5, 0.6\]: give 6"):
        reportgen.analyse([1, 2], model=[0.5, 0.6])
    with pytest.raises(reportgen.UsageError, match=r"^seed=-1: give a whole number"):
        reportgen.analyse([1, 2], seed=-1)
    with pytest.raises(reportgen.UsageError, match=r"^draws=0: give a whole number of draws"):
        reportgen.analyse([1, 2], draws=0)
    with pytest.raises(reportgen.UsageError, match=r"^counts='yes': give True"):
        reportgen.analyse([1, 2], counts="yes")
    with pytest.raises(reportgen.UsageError, match=r"^confidence=1.5") as made:
        reportgen.make_options(confidence=1.5)
    assert "--" not in str(made.value)
    with pytest.raises(TypeError, match="did you mean confidence="):
        reportgen.analyse([1, 2], confidnce=0.9)


def test_seed_and_draws_reach_the_exact_tests_monte_carlo():
    """A d10 of 3000 throws is beyond enumeration: the Monte Carlo branch answers."""
    throws = np.random.default_rng(5).integers(1, 11, 3000).tolist()
    first = reportgen.analyse(throws, faces=10, draws=2_000, seed=7).tests["exact_multinomial"]
    again = reportgen.analyse(throws, faces=10, draws=2_000, seed=7).tests["exact_multinomial"]
    other = reportgen.analyse(throws, faces=10, draws=3_000, seed=8).to_dict()
    assert first.method == "monte-carlo" and (first.draws, first.seed) == (2_000, 7)
    assert first == again
    assert other["tests"]["exact_multinomial"]["draws"] == 3_000
    assert other["tests"]["exact_multinomial"]["seed"] == 8
    default = reportgen.make_options().stats
    assert default.draws is None and default.seed == DEFAULT_SEED


def test_dir_lists_the_public_api_only():
    names = dir(reportgen)
    assert "analyse" in names and "power" in names and "compare" in names
    assert not {"Any", "TYPE_CHECKING", "annotations", "importlib"} & set(names)
    assert all(hasattr(reportgen, name) for name in names)
    assert names == sorted(reportgen.__all__)


def test_help_describes_the_api_and_every_field_of_report():
    about = pydoc.render_doc(reportgen, renderer=pydoc.plaintext)
    assert "analyse(source, **options)" in about and "docs/api.md" in about
    assert "architecture" not in about.split("FUNCTIONS")[0].lower()
    report = pydoc.render_doc(reportgen.Report, renderer=pydoc.plaintext)
    for noise in ("__dataclass_fields__", "__match_args__", "__init__(", "__eq__", "__hash__"):
        assert noise not in report, noise
    doc = reportgen.Report.__doc__
    attributes = doc.split("Attributes\n    ----------\n")[1]
    described = set()
    for line in attributes.splitlines():
        entry = re.match(r"    (\w[\w, ]*) : ", line)
        if entry:
            described |= {name.strip() for name in entry[1].split(",")}
    result = reportgen.analyse(DATA / "rolls.csv")
    public = {
        name
        for name in dir(result)
        if not name.startswith("_") and not callable(getattr(type(result), name, None))
    }
    assert public == described, public ^ described
