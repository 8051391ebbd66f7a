"""Reading: bytes (or throws already in memory) become a validated ``RollLog``.

The only code that opens an input. ``load(source, options)`` reads any source
the API accepts; ``read_log(path, faces, ...)`` one file or sheet;
``load_split``/``split_log`` one input split by a column; ``list_inputs`` what
the inputs hold (directories, workbooks' sheets, and what is not read). Rooms:

- ``log``: ``RollLog``, the one ``Tally`` that builds it, ``combine`` for parts
- ``text``: opening, hashing, gzip, the encoding rule, decoded lines
- ``rows``: the CSV layout of text lines
- ``layout``: a header's face, count and group columns
- ``table``: every cell checked and tallied, per ``--by`` group and split part
- ``workbook``: .xlsx sheets as tables (openpyxl, imported only when one is read)
- ``split``: one input split by a column; values made file-safe stems
- ``fastcount``: the numpy path for one-column logs of small numbers
- ``memory``: throws and counts already in memory
- ``sources``: listing inputs, the digest of parts, bytes to embed
"""

from __future__ import annotations

from reportgen.read.log import RollLog, combine
from reportgen.read.reader import load, read_log
from reportgen.read.sources import list_inputs
from reportgen.read.split import load_split, split_log

__all__ = ["RollLog", "combine", "list_inputs", "load", "load_split", "read_log", "split_log"]
