"""What every format shares: the ``Document`` it exports and the ``Format`` it declares."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from reportgen.errors import UsageError

if TYPE_CHECKING:
    from reportgen.analysis import Analysis
    from reportgen.options import RenderOptions

#: What ``--edition`` may name, and what it adds to an output's stem: the lesson report
#: (``rolls.pdf``), a worksheet that asks (``rolls-student.pdf``), the same answered
#: (``rolls-key.pdf``), so a class's reports, worksheets and keys share a folder.
EDITIONS = {"report": "", "student": "-student", "teacher": "-key"}


@dataclass
class Document:
    """One output's subject: the analysis, how to show it, and the edition.

    ``html`` holds the edition's HTML once a format has made it (a PDF is laid
    out from it).
    """

    analysis: Analysis
    render: RenderOptions
    edition: str = "report"
    html: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        check_edition(self.edition)


@dataclass(frozen=True)
class Format:
    """An output format: its name (``-f NAME``), extension, media type, editions, exporter."""

    name: str
    extension: str
    mimetype: str
    editions: tuple[str, ...]
    export: Callable[[Document], bytes]

    def bytes_of(self, document: Document) -> bytes:
        """``export(document)``, refusing an edition this format cannot make."""
        if document.edition not in self.editions:
            raise UsageError(
                f"--edition {document.edition} with -f {self.name}: "
                f"{self.name} has the edition{'s' if len(self.editions) > 1 else ''} "
                f"{', '.join(self.editions)}"
            )
        return self.export(document)


def check_edition(edition: str) -> str:
    """``edition`` if it is one of ``EDITIONS``; ``UsageError`` otherwise."""
    if edition not in EDITIONS:
        raise UsageError(f"--edition {edition}: choose one of {', '.join(EDITIONS)}")
    return edition
