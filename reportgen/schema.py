"""The JSON Schema of the ``-f json`` results: ``docs/json.md`` in machine-readable form.

The schema is a standalone JSON file beside this module, ``results.schema.json``,
rather than a Python literal, so that it ships in the wheel as data, tools in any
language can read it, and a reviewer sees in one diff what the contract promises.
This module imports nothing heavy: ``reportgen --schema`` must not pay for
numpy or scipy (``reportgen.render.formats.json`` imports the analysis, and with it scipy).
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

#: The ``schema_version`` every result carries; ``results.schema.json`` holds the
#: same value as its ``const`` (a test keeps the two equal). Raise it when a field
#: is renamed or removed or its meaning changes; an added field does not raise it.
SCHEMA_VERSION = "1"

#: The schema's file name, in this module's package.
SCHEMA_FILE = "results.schema.json"


def schema_text() -> str:
    """The schema exactly as shipped (what ``reportgen --schema`` prints)."""
    return resources.files(__package__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8")


def results_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) that every ``-f json`` result conforms to.

    A fresh dict on each call, so a caller that changes its copy changes no one else's.

    >>> results_schema()["properties"]["schema_version"]["const"] == SCHEMA_VERSION
    True
    """
    return json.loads(schema_text())
