"""Issue 26, points 1 and 7: the inputs a pandas user has, each read the one right way.

A Series is throws or a frequency table by the rule of ``reportgen.read.series``
(docs/api.md, "What a Series is"); one that reads both ways is refused, never
guessed. The expected counts of the issue's example were tallied by hand and by
``collections.Counter`` (an independent count).
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import pytest

import reportgen
from tests.conftest import DATA

ROLLS = [4, 2, 6, 1, 4, 3, 5, 2, 4, 6, 1, 4, 5, 3, 2, 4, 6, 1, 5, 6]
TRUTH = tuple(Counter(ROLLS)[face] for face in range(1, 7))  # (3, 3, 2, 5, 3, 4)


def test_value_counts_is_a_frequency_table_the_issues_example():
    counts = pd.Series(ROLLS).value_counts()  # values 5, 4, 3, 3, 3, 2: all faces too
    result = reportgen.analyse(counts)
    assert (result.n, result.counts) == (20, TRUTH) == (20, (3, 3, 2, 5, 3, 4))
    assert result.input.format == "counts"
    assert reportgen.analyse(dict(counts)).counts == TRUTH  # a mapping is counts, as before
    assert reportgen.analyse(pd.Series(ROLLS, name="face").value_counts()).counts == TRUTH


def test_a_plain_series_and_a_face_column_are_throws():
    assert reportgen.analyse(pd.Series(ROLLS)).input.format == "log"  # RangeIndex
    frame = pd.DataFrame({"face": ROLLS})
    shuffled = frame["face"].sample(frac=1, random_state=3)  # named face, any index
    assert reportgen.analyse(shuffled).counts == TRUTH
    assert reportgen.analyse(frame["face"].iloc[5:]).n == 15  # a RangeIndex from 5


def test_names_decide_as_a_csv_header_does():
    frame = pd.DataFrame({"throw": range(1, 21), "face": ROLLS})
    assert reportgen.analyse(frame.groupby("face").size()).counts == TRUTH  # index "face"
    assert reportgen.analyse(frame.groupby("face")["throw"].count()).counts == TRUTH
    table = frame["face"].value_counts().to_frame()  # faces in the index, column "count"
    assert reportgen.analyse(table).counts == TRUTH
    with pytest.raises(reportgen.UsageError, match="proportions"):
        reportgen.analyse(pd.Series(ROLLS).value_counts(normalize=True))


def test_a_series_that_reads_both_ways_is_refused_naming_both_readings_and_the_argument():
    both = pd.Series([3, 3, 2, 5, 3, 4], index=[1, 2, 3, 4, 5, 6])
    with pytest.raises(reportgen.UsageError) as refused:
        reportgen.analyse(both)
    message = str(refused.value)
    assert "frequency table" in message and "20 throws" in message  # the counts' reading
    assert "6 throws" in message and "values are faces" in message  # the throws' reading
    assert "counts=True" in message and "counts=False" in message
    assert reportgen.analyse(both, counts=True).n == 20
    assert reportgen.analyse(both, counts=False).n == 6
    some = pd.Series(ROLLS).iloc[[3, 1, 2]]  # an integer index that could be faces
    with pytest.raises(reportgen.UsageError, match="reads two ways"):
        reportgen.analyse(some)
    assert reportgen.analyse(pd.Series([13, 13, 12], index=[1, 2, 3])).n == 38  # only counts


def test_a_count_column_without_its_faces_is_refused_not_read_as_throws():
    table = pd.DataFrame({"face": range(1, 7), "count": TRUTH})
    with pytest.raises(reportgen.DataError, match="index holds the faces"):
        reportgen.analyse(table["count"])  # row numbers 0..5, not faces
    assert reportgen.analyse(table.set_index("face")["count"]).counts == TRUTH
    assert reportgen.analyse(table).counts == TRUTH  # the DataFrame itself: by its header


def test_a_dataframe_with_a_group_column_and_its_groupby_give_the_by_comparison():
    frame = pd.read_csv(DATA / "two_dice.csv")
    by_column = reportgen.analyse(frame, by="die")
    grouped = reportgen.analyse(frame.groupby("die"))
    assert grouped.to_dict() == by_column.to_dict()
    assert grouped.by == "die" and list(grouped.groups) == ["white", "red"]  # first appearance
    assert grouped.homogeneity is not None and grouped.groups["red"].n == 300
    assert grouped.groups["red"].to_frame().index.name == "face"  # a group is a Report too
    with pytest.raises(reportgen.UsageError, match="group by one column"):
        reportgen.analyse(frame.groupby(["die", "throw"]))
    with pytest.raises(reportgen.UsageError, match="group by one column"):
        reportgen.analyse(frame.groupby(frame["throw"] % 2))
    with pytest.raises(reportgen.UsageError, match="give the groups once"):
        reportgen.analyse(frame.groupby("die"), by="face")


def test_arrays_of_more_than_one_dimension_are_refused_with_a_message():
    assert reportgen.analyse(np.array(ROLLS)).counts == TRUTH
    with pytest.raises(reportgen.UsageError, match=r"shape \(10, 2\).*1-D array") as refused:
        reportgen.analyse(np.array(ROLLS).reshape(10, 2))
    assert "ravel()" in refused.value.hint
    with pytest.raises(reportgen.UsageError, match="several levels"):
        reportgen.analyse(pd.read_csv(DATA / "two_dice.csv").groupby("die").value_counts())


def test_a_mapping_of_labels_names_the_faces_in_its_order():
    coin = reportgen.analyse({"H": 7, "T": 3})
    assert coin.faces == ("H", "T") and coin.counts == (7, 3)
    assert reportgen.analyse({"T": 3, "H": 7}).faces == ("T", "H")
    tosses = pd.Series(list("HTHHTHHTHH")).value_counts()  # H 7, T 3: its index's order
    assert reportgen.analyse(tosses).faces == ("H", "T")
    assert reportgen.analyse({"H": 7, "T": 3}, faces="T,H").counts == (3, 7)
    assert reportgen.analyse({1: 3, 4: 1}).counts == (3, 0, 0, 1, 0, 0)  # numbers: a d6
    with pytest.raises(reportgen.DataError, match="one of 1..6") as d8:
        reportgen.analyse({7: 1, 8: 2})
    assert d8.value.hint == "a d8? use faces=8"
