"""Reading: bytes (or throws already in memory) become a validated ``RollLog``.

The only code that opens an input. ``load(source, options)`` reads any source
the API accepts; ``read_log(path, faces, ...)`` one file. Rooms:

- ``log``: ``RollLog``, the one ``Tally`` that builds it, ``combine`` for parts
- ``text``: opening, hashing, gzip, the encoding rule, decoded lines
- ``rows``: the CSV layout, the face and count columns, every cell checked
- ``fastcount``: the numpy path for one-column logs of small numbers
- ``memory``: throws and counts already in memory
- ``sources``: expanding inputs, the digest of parts, bytes to embed
"""

from __future__ import annotations

from reportgen.read.log import RollLog, combine
from reportgen.read.reader import load, read_log

__all__ = ["RollLog", "combine", "load", "read_log"]
