"""Hints from the whole file: a typo among many; a larger die only when the data look like one."""

from __future__ import annotations

import random

import pytest

from reportgen.errors import DataError, Problems
from reportgen.faces import Census, parse_faces
from reportgen.read import read_log

D6 = parse_faces(6)


def _log(tmp_path, values, header="face"):  # type: ignore[no-untyped-def]
    path = tmp_path / "r.csv"
    path.write_text("".join(f"{v}\n" for v in ([header] if header else []) + list(values)))
    return path


def _lines(tmp_path, values, **kwargs) -> list[str]:  # type: ignore[no-untyped-def]
    path = _log(tmp_path, values, **kwargs)
    with pytest.raises(DataError) as caught:
        read_log(path, D6)
    return [line.removeprefix(f"{path}:") for line in caught.value.lines()]


def test_one_typo_among_many_is_called_a_typo_with_its_line(tmp_path) -> None:
    values = [1, 2, 3, 4, 5, 6] * 5
    values[16] = 7
    assert _lines(tmp_path, values) == [
        "18: face '7' is not one of 1..6 (a typo? 29 other throws are 1..6)"
    ]


def test_two_typos_each_with_its_line(tmp_path) -> None:
    values = [3, 1, 4, 1, 5, 66, 2, 6, 5, 3, 5, 0, 4, 2, 6]
    assert _lines(tmp_path, values) == [
        "7: face '66' is not one of 1..6 (a typo? 13 other throws are 1..6)",
        "13: face '0' is not one of 1..6 (a typo? 13 other throws are 1..6)",
    ]


def test_a_d8_log_read_as_a_d6_suggests_a_d8(tmp_path) -> None:
    rng = random.Random(8)
    values = [rng.randint(1, 8) for _ in range(40)]
    values[5] = 8
    lines = _lines(tmp_path, values)
    wrong = sum(v > 6 for v in values)
    assert len(lines) == 6 and lines[-1] == f" {wrong - 5} more bad rows"
    assert all(line.endswith("(a d8? use --faces 8)") for line in lines[:5])


def test_a_d8_with_one_typo_beyond_it(tmp_path) -> None:
    values = [1, 7, 2, 8, 3, 7, 4, 8, 5, 6, 77, 1, 2, 3]
    assert _lines(tmp_path, values) == [
        "3: face '7' is not one of 1..6 (a d8? use --faces 8)",
        "5: face '8' is not one of 1..6 (a d8? use --faces 8)",
        "7: face '7' is not one of 1..6 (a d8? use --faces 8)",
        "9: face '8' is not one of 1..6 (a d8? use --faces 8)",
        "12: face '77' is not one of 1..6 (a typo? the other throws look like a d8)",
    ]


def test_many_wrong_values_that_look_like_no_die_get_no_die(tmp_path) -> None:
    values = [1, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 1, 0]
    lines = _lines(tmp_path, values)
    assert lines[0] == "4: face '0' is not one of 1..6"


def test_a_frequency_table_counts_rows(tmp_path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("face,count\n1,4\n2,5\n3,3\n4,6\n5,2\n9,4\n6,1\n")
    with pytest.raises(DataError) as caught:
        read_log(path, D6)
    assert (
        str(caught.value)
        == f"{path}:7: face '9' is not one of 1..6 (a typo? 6 other rows are 1..6)"
    )


def test_a_first_value_that_is_no_face_reads_on(tmp_path) -> None:
    assert _lines(tmp_path, [7, 1, 2, 3], header=None) == [
        "1: face '7' is not one of 1..6 (a typo? 3 other throws are 1..6)"
    ]


def test_without_the_whole_file_a_value_suggests_the_die_that_holds_it() -> None:
    assert D6.hint_for("7") == "a d8? use --faces 8"
    assert D6.hint_for("99999999999999999999") == "no die has that many faces"
    assert (
        D6.hint_for("1900-01-03")
        == "a date: is the column formatted as dates? format it as numbers"
    )
    census = Census(good=29, wrong={7: 1})
    assert D6.hint_for("７", census) == "a typo? 29 other throws are 1..6"
    assert Census(good=10, wrong={9: 12}).larger_die(6) == 10
    assert Census(good=100, wrong={7: 2}).larger_die(6) is None  # too few to be a die


@pytest.mark.parametrize(
    ("text", "line", "values"),
    [
        ("3,5,1,6,2,4,4,1,2,3\n", 1, 10),
        ("face\n3,5,1,6,2,4\n", 2, 6),
        ("出た目,3,5,1,6,2,4,1\n", 1, 7),
        ("3;5;1;6\n", 1, 4),
        ("\ufeff３,５,１,６,２\n", 1, 5),
    ],
)
def test_one_row_of_many_numbers_is_named(tmp_path, text: str, line: int, values: int) -> None:
    path = tmp_path / "row.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_log(path, D6)
    assert not isinstance(caught.value, Problems)
    assert str(caught.value) == (
        f"{path}:{line}: one row of {values} values: a log has one throw per line "
        "(put each throw on a line of its own, under a header such as face)"
    )


def test_two_numbers_on_a_row_are_still_no_face_column(tmp_path) -> None:
    path = tmp_path / "two.csv"
    path.write_text("1,3\n2,4\n")
    with pytest.raises(DataError, match="no face column found"):
        read_log(path, D6)
