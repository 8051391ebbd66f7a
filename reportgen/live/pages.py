"""The projector's and the phone's pages: plain data in, one self-contained HTML page out.

A page holds everything it shows: its CSS and JavaScript (``templates/live/``)
inline, its fonts as ``data:`` URLs (``live.fonts``), the equation (4.3) and
the QR code as inline SVG, its words (the catalogue's ``live`` section) and the
state as JSON. The JavaScript draws the charts from the state, in the browser,
and redraws them on each ``state`` event. Nothing is fetched from anywhere but
the server itself, and the ``Content-Security-Policy`` the server sends with a
page (``csp``) lets the browser fetch nothing else.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from typing import Any

from reportgen.faces import Faces
from reportgen.render.catalogue import environment, fill, messages, plain, templates_dir
from reportgen.render.numbers import fmt_number

#: The equation every throw is worked through, as the report writes it.
EQUATION = r"E = -\log L = -\sum_{k=1}^{K} t_k \log y_k"

#: Characters the pages' numbers may show, whatever the words: fonts keep their glyphs.
NUMBERS = "0123456789.,−-+=()/…∞ \u202f\u2009"


@dataclass(frozen=True)
class Lesson:
    """What every page of one live session shows besides the state."""

    lang: str
    faces: Faces
    model: tuple[float, ...]  # y_k of ``--model``
    fair: bool  # ``--model fair``
    code: str
    phone_url: str
    local_only: bool  # listening on loopback: phones cannot reach the URL


def csp(nonce: str) -> str:
    """The policy of a page: its own inline style and script, ``data:`` fonts, the server only."""
    return (
        "default-src 'none'; "
        f"script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; "
        "font-src data:; img-src data:; connect-src 'self'; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )


def _script_json(value: Any, *, encoded: str | None = None) -> Any:
    """JSON to put inside ``<script type="application/json">``: no ``<`` can end the element.

    ``encoded`` is JSON already made (the state's); ``value`` is encoded otherwise.
    """
    from markupsafe import Markup

    text = json.dumps(value, ensure_ascii=False) if encoded is None else encoded
    return Markup(text.replace("<", "\\u003c"))


@functools.cache
def _asset(name: str) -> str:
    """A file of ``templates/live/`` (CSS, JavaScript), read once."""
    return (templates_dir() / "live" / name).read_text(encoding="utf-8")


class Pages:
    """The HTML of one session's pages, and the words of its answers, in its language.

    Parameters
    ----------
    lesson : Lesson
        The session's faces, model, code and phone URL.
    """

    def __init__(self, lesson: Lesson) -> None:
        self.lesson = lesson
        self.m = messages(lesson.lang, coin=lesson.faces.k == 2)
        self.words = self._words()
        self._fonts: str | None = None

    def _words(self) -> dict[str, Any]:
        """The words the JavaScript fills in: the ``live`` section and a few filled for it."""
        lesson, live = self.lesson, self.m["live"]
        k = lesson.faces.k
        model = fill(live["model_fair"], k=k) if lesson.fair else live["model_given"]
        return {
            **live,
            "model_name": model,
            "keys": self.keys(),
            "unit": self.m["units"]["nat"],
            "thousands": self.m["numbers"]["thousands"],
            "fair": lesson.fair,
            "k": k,
        }

    def keys(self) -> str:
        """The keys that add a throw, as the page names them: ``1–6`` or ``H, T``."""
        labels = [str(label) for label in self.lesson.faces.labels]
        if self.lesson.faces.numeric and labels == [str(i) for i in range(1, len(labels) + 1)]:
            return f"1–{labels[-1]}"
        return ", ".join(labels)

    def message(self, key: str, **values: Any) -> str:
        """An answer's words (``live.errors.<key>``), plain text, values filled in."""
        return plain(fill(self.m["live"]["errors"][key], **values))

    def console(self, key: str, **values: Any) -> str:
        """A line the command prints (``live.console.<key>``): plain text, spaces kept."""
        return str(self.m["live"]["console"][key]).format(**values)

    # --- pages ---------------------------------------------------------------------------

    def prepare(self) -> None:
        """Make the pages' fonts now (Japanese ones take seconds the first time), not on a visit."""
        self._font_css()

    def projector(self, state_json: str, *, show_code: bool, nonce: str) -> str:
        """The projector page; the code, QR code and keys only for the teacher's screen."""
        state = _script_json(None, encoded=state_json)
        return self._render("projector", nonce, state_json=state, show_code=show_code)

    def phone(self, *, nonce: str) -> str:
        """The phone page: one big button a face."""
        return self._render("phone", nonce, refused=False)

    def refused(self, *, nonce: str) -> str:
        """The phone page without buttons, saying that the class code is missing or wrong."""
        return self._render("phone", nonce, refused=True)

    def _render(self, kind: str, nonce: str, **context: Any) -> str:
        return self._html(kind, nonce, self._font_css(), **context)

    def _html(self, kind: str, nonce: str, fonts: str, **context: Any) -> str:
        from markupsafe import Markup

        lesson = self.lesson
        template = environment().get_template(f"live/{kind}.html.j2")
        return template.render(
            lang=lesson.lang,
            words=self.words,
            words_json=_script_json(self.words),
            faces=[str(label) for label in lesson.faces.labels],
            code=lesson.code,
            phone_url=lesson.phone_url,
            local_only=lesson.local_only,
            qr=Markup(_qr(lesson.phone_url)) if kind == "projector" else "",
            equation=Markup(_equation()) if kind == "projector" else "",
            nonce=nonce,
            fonts=Markup(fonts),
            css=Markup(_asset("live.css")),
            js=Markup(_asset(f"{kind}.js")),
            model_values=[fmt_number(y, 3) for y in lesson.model],
            **{"state_json": _script_json(None), "show_code": True, **context},
        )

    def _font_css(self) -> str:
        """The ``@font-face`` rules of both pages: every character either can show (made once)."""
        if self._fonts is None:
            from reportgen.live.fonts import font_css

            pages = [self._html(kind, "", "", refused=False) for kind in ("projector", "phone")]
            labels = "".join(str(label) for label in self.lesson.faces.labels)
            self._fonts = font_css("".join(sorted(set("".join(pages) + labels + NUMBERS))))
        return self._fonts


@functools.cache
def _equation() -> str:
    """(4.3) as inline SVG (ziamath's glyph outlines: no font needed)."""
    from reportgen.render.equations import to_svg

    return to_svg(EQUATION, size=40, id_prefix="eq43")


def _qr(url: str) -> str:
    """A QR code of ``url`` as inline SVG that scales with its box."""
    import segno

    return segno.make(url, error="m").svg_inline(
        border=2, omitsize=True, dark="#000", light="#fff", svgclass="qr-code"
    )
