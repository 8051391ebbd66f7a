"""The report's tables, checked against values computed by hand in this file."""

from __future__ import annotations

import pandas as pd
import pytest

from reportgen.analysis import tables

# data/rolls.csv, the 20 throws of the README sample, in file order (read off the file by hand).
ROLLS = [4, 2, 6, 1, 4, 3, 5, 2, 4, 6, 1, 4, 5, 3, 2, 4, 6, 1, 5, 6]
FACES = (1, 2, 3, 4, 5, 6)


def test_frequency_table_of_the_sample_matches_a_hand_count():
    # Counted by hand from ROLLS: face 1 three times (throws 4, 11, 18), face 2 three times
    # (2, 8, 15), face 3 twice (6, 14), face 4 five times (1, 5, 9, 12, 16), face 5 three times
    # (7, 13, 19), face 6 four times (3, 10, 17, 20); N = 20, so n_k/N = n_k / 20.
    counts = (3, 3, 2, 5, 3, 4)
    table = tables.frequency_table(FACES, counts)
    assert list(table.columns) == ["face", "n_k", "frequency"]
    assert list(table["face"]) == [1, 2, 3, 4, 5, 6]
    assert list(table["n_k"]) == [3, 3, 2, 5, 3, 4]
    assert list(table["frequency"]) == pytest.approx([0.15, 0.15, 0.10, 0.25, 0.15, 0.20], abs=0)
    assert table["frequency"].sum() == pytest.approx(1.0, abs=1e-15)


def test_frequency_table_keeps_full_precision():
    table = tables.frequency_table(("H", "T"), (1, 2))
    assert table["frequency"].iloc[0] == 1 / 3  # not 0.3333: presentation rounds, tables don't


def test_frequency_table_refuses_mismatched_lengths():
    with pytest.raises(ValueError):
        tables.frequency_table(FACES, (1, 2))


def test_one_hot_table_of_the_first_throws_matches_a_hand_encoding():
    # The first three throws are 4, 2, 6: t has a single 1 at the face seen.
    first = [face - 1 for face in ROLLS[:3]]
    table = tables.one_hot_table(FACES, first)
    expected = pd.DataFrame(
        {
            "throw": [1, 2, 3],
            "face": pd.Series([4, 2, 6], dtype=object),
            "t_1": [0, 0, 0],
            "t_2": [0, 1, 0],
            "t_3": [0, 0, 0],
            "t_4": [1, 0, 0],
            "t_5": [0, 0, 0],
            "t_6": [0, 0, 1],
        }
    )
    pd.testing.assert_frame_equal(table, expected, check_dtype=False)


def test_one_hot_rows_sum_to_one_and_columns_sum_to_the_counts():
    first = [face - 1 for face in ROLLS]
    table = tables.one_hot_table(FACES, first)
    t = table[tables.one_hot_columns(6)]
    assert (t.sum(axis=1) == 1).all()
    # Column sums of the one-hot table are the counts table (the lesson's point in section 6).
    assert list(t.sum(axis=0)) == [3, 3, 2, 5, 3, 4]


def test_one_hot_table_numbers_throws_from_start():
    table = tables.one_hot_table(("H", "T"), [1, 0], start=21)
    assert list(table["throw"]) == [21, 22]
    assert list(table["face"]) == ["T", "H"]


def test_one_hot_table_only_covers_the_throws_given_even_for_many_faces():
    faces = tuple(range(1, 1001))
    table = tables.one_hot_table(faces, [0, 999, 499])
    assert table.shape == (3, 2 + 1000)
    assert table.loc[1, "t_1000"] == 1 and table.loc[2, "t_500"] == 1


def test_check_table_marks_only_the_face_seen():
    table = tables.check_table(("H", "T", "<edge>"), 2)
    assert list(table["seen"]) == [False, False, True]
    assert list(table["t"]) == [0, 0, 1]
    assert list(table["face"]) == ["H", "T", "<edge>"]


def test_mle_table_carries_each_interval():
    table = tables.mle_table(("H", "T"), (1, 3), (0.25, 0.75), {"wilson": ((0.1, 0.5), (0.4, 0.9))})
    assert list(table.columns) == ["face", "n_k", "mle", "wilson_low", "wilson_high"]
    assert list(table["wilson_high"]) == [0.4, 0.9]
