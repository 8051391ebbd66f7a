"""The words of the report: message catalogues, the templates and the one Jinja environment.

Every word a reader sees comes from ``templates/messages/<lang>.json``, read
once per language and process. Catalogue strings are trusted markup (they may
hold ``<i>``/``<sub>``); the values ``fill`` puts into them are escaped.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportgen.render.numbers import fmt_count, fmt_number, fmt_percent, fmt_pvalue

if TYPE_CHECKING:
    import jinja2

#: Template of the whole report, relative to the templates folder.
TEMPLATE = "report.html.j2"


def templates_dir() -> Path:
    """The templates folder: inside the package in a wheel, at the top level in a checkout."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "templates", here.parent / "templates"):
        if (candidate / TEMPLATE).is_file():
            return candidate
    raise FileNotFoundError(f"reportgen templates not found next to {here}; reinstall reportgen")


def fill(message: Any, **values: Any) -> Any:
    """Fill ``{name}`` placeholders of a catalogue message; values are HTML-escaped."""
    from markupsafe import Markup

    return Markup(message).format(**values)


def plain(markup: Any) -> str:
    """Catalogue text without markup, for plot labels and metadata."""
    from markupsafe import Markup

    return Markup(markup).striptags()


def _count(context: Any, value: int) -> str:
    """The ``count`` filter: thousands grouped as the page's ``thousands`` says."""
    return fmt_count(value, context["thousands"])


#: The templates' filters, declared once: numbers for people and catalogue filling.
FILTERS = {
    "num": fmt_number,
    "count": _count,
    "percent": fmt_percent,
    "pvalue": fmt_pvalue,
    "fill": fill,
}


@functools.cache
def environment() -> jinja2.Environment:
    """The one Jinja environment of reportgen (built on first use, then reused).

    ``autoescape=True`` explicitly: ``select_autoescape()`` matches on file
    extensions and would not escape ``*.html.j2``.
    """
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir()),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(FILTERS)
    env.filters["count"] = jinja2.pass_context(_count)
    return env


@functools.cache
def messages(lang: str, coin: bool = False) -> dict[str, Any]:
    """The message catalogue of ``lang`` with every string marked safe markup.

    With ``coin`` (K = 2), ``messages/<lang>.coin.json`` replaces the words
    that would call a coin a die; it holds only keys of the base catalogue.
    Read from disk once per language and kind; callers must not change the dict.
    """
    from markupsafe import Markup

    folder = templates_dir() / "messages"
    data = json.loads((folder / f"{lang}.json").read_text(encoding="utf-8"))
    if coin:
        overlay = json.loads((folder / f"{lang}.coin.json").read_text(encoding="utf-8"))
        data = _overlaid(_reworded(data, COIN_WORDS.get(lang, ())), overlay)

    def mark(node: Any) -> Any:
        if isinstance(node, dict):
            return {key: mark(value) for key, value in node.items()}
        if isinstance(node, list):
            return [mark(value) for value in node]
        return Markup(node) if isinstance(node, str) else node

    return mark(data)


#: A coin's words for a die's, applied to every string of a catalogue before its
#: ``<lang>.coin.json`` overlay (which words what the rules cannot). In Japanese a die
#: has 目 and a coin 面 (回 and 試行 serve both): every 目 of a face becomes 面, not the
#: 目 of 目次, 注目, 名目, 1回目, 2番目 or 対数目盛.
COIN_WORDS: dict[str, tuple[tuple[str, str], ...]] = {
    "ja": ((r"(?<![注名回番])目(?![次盛安標])", "面"),),
    "en": (
        (r"\bevery other face\b", "the other side"),
        (r"\bthe other faces share the rest\b", "the other side take the rest"),
        (r"\bFaces\b", "Sides"),
        (r"\bfaces\b", "sides"),
        (r"\bFace\b", "Side"),
        (r"\bface\b", "side"),
        (r"\bThrows\b", "Tosses"),
        (r"\bthrows\b", "tosses"),
        (r"\bThrow\b", "Toss"),
        (r"\bthrow\b", "toss"),
        (r"\bthrown\b", "tossed"),
        (r"\bdice\b", "coins"),
        (r"\bdie’s\b", "coin’s"),
        (r"\bdie\b", "coin"),
    ),
}


def _reworded(node: Any, rules: tuple[tuple[str, str], ...]) -> Any:
    """Every string of a catalogue with the word rules applied, in order."""
    import re

    if isinstance(node, dict):
        return {key: _reworded(value, rules) for key, value in node.items()}
    if isinstance(node, list):
        return [_reworded(value, rules) for value in node]
    if isinstance(node, str):
        parts = re.split(r"(\{[^{}]*\})", node)  # placeholders such as {face} stay as they are
        for i in range(0, len(parts), 2):
            for pattern, word in rules:
                parts[i] = re.sub(pattern, word, parts[i])
        node = "".join(parts)
    return node


def _overlaid(base: dict[str, Any], overlay: dict[str, Any]) -> dict[str, Any]:
    """``base`` with the leaves of ``overlay`` put in their places (nested dicts merge)."""
    merged = dict(base)
    for key, value in overlay.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            merged[key] = _overlaid(base[key], value)
        else:
            merged[key] = value
    return merged


@functools.cache
def stylesheet(lang: str) -> str:
    """``report.css`` plus the language's additions (``report.<lang>.css``, e.g. CJK fonts),
    and what equations given as MathML beside their drawing need (``MATHML_CSS``)."""
    from reportgen.render.equations import MATHML_CSS

    folder = templates_dir()
    css = (folder / "report.css").read_text(encoding="utf-8") + "\n" + MATHML_CSS
    extra = folder / f"report.{lang}.css"
    if extra.is_file():
        css += "\n" + extra.read_text(encoding="utf-8")
    return css
