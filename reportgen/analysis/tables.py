"""The report's tables as pure functions returning pandas DataFrames.

Columns carry stable names (``face``, ``n_k``, ``t_1`` …); headers a reader
sees come from the message catalogue at render time. No function here builds
an N×K matrix for the whole log: the one-hot table covers only the first
throws, the counts are sufficient for everything else.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd


def frequency_table(faces: Sequence[int | str], counts: Sequence[int]) -> pd.DataFrame:
    """The counts table of the lesson: face, n_k and the observed frequency n_k / N.

    Parameters
    ----------
    faces : sequence of int or str
        Face labels in report order.
    counts : sequence of int
        n_k for each face, in the same order.

    Returns
    -------
    DataFrame
        Columns ``face``, ``n_k``, ``frequency`` (unrounded), one row per face.
    """
    if len(faces) != len(counts):
        raise ValueError(f"{len(faces)} faces but {len(counts)} counts")
    n = sum(counts)
    return pd.DataFrame(
        {
            "face": pd.Series(list(faces), dtype=object),
            "n_k": pd.Series(list(counts), dtype="int64"),
            "frequency": pd.Series([c / n for c in counts], dtype="float64"),
        }
    )


def one_hot_columns(k: int) -> list[str]:
    """Names of the one-hot columns: ``t_1`` … ``t_K``."""
    return [f"t_{j}" for j in range(1, k + 1)]


def one_hot_table(
    faces: Sequence[int | str], first: Sequence[int], *, start: int = 1
) -> pd.DataFrame:
    """The lesson's ✔ table turned into 1 and 0, for the first throws only.

    Row i is throw ``start + i``; t_k = 1 for the face seen, 0 for the others.

    Parameters
    ----------
    faces : sequence of int or str
        Face labels in report order (K of them).
    first : sequence of int
        Face indices k (0-based) of the throws to show, in file order.
    start : int
        Number of the first throw shown (1-based).

    Returns
    -------
    DataFrame
        Columns ``throw``, ``face``, ``t_1`` … ``t_K``; len(first) rows.
    """
    k = len(faces)
    data: dict[str, pd.Series] = {
        "throw": pd.Series(range(start, start + len(first)), dtype="int64"),
        "face": pd.Series([faces[j] for j in first], dtype=object),
    }
    for column, j in zip(one_hot_columns(k), range(k), strict=True):
        data[column] = pd.Series([int(index == j) for index in first], dtype="int64")
    return pd.DataFrame(data)


def check_table(faces: Sequence[int | str], index: int) -> pd.DataFrame:
    """One throw as the lesson's ✔ table: a row per face; ``seen`` marks the face that came up."""
    return pd.DataFrame(
        {
            "face": pd.Series(list(faces), dtype=object),
            "seen": pd.Series([j == index for j in range(len(faces))], dtype=bool),
            "t": pd.Series([int(j == index) for j in range(len(faces))], dtype="int64"),
        }
    )


def mle_table(
    faces: Sequence[int | str],
    counts: Sequence[int],
    mle: Sequence[float],
    intervals: dict[str, tuple[Sequence[float], Sequence[float]]],
) -> pd.DataFrame:
    """Face, n_k, the MLE y_k = n_k / N and each interval as ``<name>_low``, ``<name>_high``."""
    data: dict[str, pd.Series] = {
        "face": pd.Series(list(faces), dtype=object),
        "n_k": pd.Series(list(counts), dtype="int64"),
        "mle": pd.Series(list(mle), dtype="float64"),
    }
    for name, (low, high) in intervals.items():
        data[f"{name}_low"] = pd.Series(list(low), dtype="float64")
        data[f"{name}_high"] = pd.Series(list(high), dtype="float64")
    return pd.DataFrame(data)


def result_frame(
    faces: Sequence[int | str],
    columns: dict[str, Sequence[float]],
) -> pd.DataFrame:
    """A table with a row per face (the index, named ``face``) and the given columns.

    ``Report.to_frame`` names each column after the JSON's per-face list it holds
    (``counts``, ``mle``, ``wilson_low`` for ``intervals.wilson.low``, …).
    """
    index = pd.Index(list(faces), name="face")
    return pd.DataFrame({name: list(values) for name, values in columns.items()}, index=index)


def interval_frame(
    faces: Sequence[int | str], low: Sequence[float], high: Sequence[float], **attrs: object
) -> pd.DataFrame:
    """One interval method's bounds: a row per face (index ``face``), columns ``low`` and
    ``high``; ``attrs`` (e.g. ``confidence_level``, ``interval``) go to ``DataFrame.attrs``."""
    frame = result_frame(faces, {"low": low, "high": high})
    frame.attrs.update(attrs)
    return frame
