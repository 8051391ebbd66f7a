"""The report's equations in words, for a PDF's alternative text: LaTeX → speech, en and ja.

Exactly the LaTeX the report writes (``render.latex``, ``render.worksheet``,
the live page's (4.3)): letters, numbers, ``_`` and ``^``, ``\\frac`` and
``\\dfrac``, ``\\sum`` and ``\\prod`` with limits, ``\\log`` (``\\log_2``, ``\\ln``),
``\\hat``, ``\\bar``, ``\\mathrm``, brackets (``\\bigl``/``\\Bigl``/``\\left`` …),
relations and operators, spaces, ``aligned`` and ``cases``. ``spoken(latex, lang)``
parses it into a small tree and reads the tree aloud:

- en, as in "E equals minus log L equals minus the sum over k from 1 to K of
  t sub k log y sub k";
- ja, as a Japanese teacher reads it: 「E イコール マイナス ログ L イコール マイナス
  k が 1 から K までの t k ログ y k の和」 (the summand before 和, N 分の 1).

A sum reaches to the next relation, comma, wide space or top-level + / −, as a
reader of the formula takes it. A command the table does not know is read by
its name, so a new equation never fails; the tests list every equation the
report writes and its reading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|\d+(?:\.\d+)?|[A-Za-z]|\S")


@dataclass
class Node:
    """One piece of the tree; ``kind`` says which, the other fields what it holds.

    ``sym``: a symbol, ``value`` its reading key, ``cls`` its class (ident, num, op,
    rel, punct, space, big, fn, open, close); ``atom``: ``items[0]`` with ``sub``
    and ``sup``; ``seq``: ``items`` in order; ``frac``: ``items`` = [numerator,
    denominator]; ``accent``: ``value`` hat/bar over ``items[0]``; ``fence``:
    ``value`` the opening bracket around ``items[0]``; ``env``: ``value`` its name,
    ``rows`` its cells.
    """

    kind: str
    value: str = ""
    cls: str = ""
    items: list[Node] = field(default_factory=list)
    sub: Node | None = None
    sup: Node | None = None
    rows: list[list[Node]] = field(default_factory=list)


#: Symbols: their reading key and class.
SYMBOLS = {
    "=": ("equals", "rel"), r"\ge": ("ge", "rel"), r"\le": ("le", "rel"),
    r"\ne": ("ne", "rel"), r"\Rightarrow": ("so", "rel"), r"\approx": ("approx", "rel"),
    r"\in": ("in", "rel"), "+": ("plus", "op"), "-": ("minus", "op"),
    r"\cdot": ("times", "op"), r"\times": ("times", "op"), r"\|": ("parallel", "op"),
    ",": (",", "punct"), r"\qquad": (",", "space"), r"\quad": (",", "space"),
    r"\sum": ("sum", "big"), r"\prod": ("product", "big"), r"\log": ("log", "fn"),
    r"\ln": ("ln", "fn"), r"\cdots": ("dots", "ident"), r"\dots": ("dots", "ident"),
    r"\ldots": ("dots", "ident"), r"\infty": ("infinity", "ident"),
    r"\partial": ("partial", "ident"),
    "(": ("(", "open"), "[": ("[", "open"), ")": (")", "close"), "]": ("]", "close"),
}  # fmt: skip
#: Spacing and bracket sizes: typography only, read as nothing.
SILENT = {r"\,", r"\;", r"\!", r"\ ", r"\:", "~", r"\bigl", r"\bigr", r"\Bigl", r"\Bigr",
          r"\left", r"\right", r"\big", r"\Big", "&", r"\\"}  # fmt: skip


def tokens(latex: str) -> list[str]:
    """The LaTeX as tokens: commands, escaped symbols, numbers, letters, single characters."""
    return _TOKEN.findall(latex)


def _symbol(token: str) -> Node:
    """A token as a leaf: its reading key and class (a command it does not know: its name)."""
    if token in SYMBOLS:
        key, cls = SYMBOLS[token]
    elif token[0].isdigit():
        key, cls = token, "num"
    else:
        key, cls = token.removeprefix("\\"), "ident"
    return Node("sym", value=key, cls=cls)


class _Parser:
    """Recursive descent over the tokens: sequences of atoms with ``_`` and ``^``."""

    def __init__(self, latex: str) -> None:
        self.tokens = tokens(latex)
        self.at = 0

    def peek(self) -> str | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> str:
        self.at += 1
        return self.tokens[self.at - 1]

    def sequence(self, stops: tuple[str, ...] = ("}",)) -> Node:
        """Atoms up to (not including) a stop token or the end, brackets matched."""
        items: list[Node] = []
        while (token := self.peek()) is not None and token not in stops:
            if token == "}":  # a stray closing brace: skip it
                self.take()
                continue
            node = self.atom()
            if node is not None:
                items.append(node)
        return Node("seq", items=_fenced(items))

    def atom(self) -> Node | None:
        """A primary with its ``_`` subscript and ``^`` superscript, if any."""
        base = self.primary()
        if base is None:
            return None
        node = Node("atom", items=[base])
        while self.peek() in ("_", "^"):
            script = (self.take(), self.argument())
            if script[0] == "_":
                node.sub = script[1]
            else:
                node.sup = script[1]
        return node if node.sub or node.sup else base

    def argument(self) -> Node:
        """A braced group, or the next single primary (``y_k``, ``\\hat y``)."""
        if self.peek() is None:
            return Node("seq")
        return self.primary() or Node("seq")

    def primary(self) -> Node | None:
        token = self.take()
        if token == "{":
            group = self.sequence()
            if self.peek() == "}":
                self.take()
            return group
        if token in (r"\frac", r"\dfrac", r"\tfrac"):
            return Node("frac", items=[self.argument(), self.argument()])
        if token in (r"\hat", r"\bar", r"\tilde"):
            return Node("accent", value=token[1:], items=[self.argument()])
        if token in (r"\mathrm", r"\text", r"\operatorname", r"\mathit"):
            return Node("sym", value=_letters(self.argument()), cls="ident")
        if token == r"\begin":
            return self.environment()
        if token in SILENT:
            return None
        return _symbol(token)

    def environment(self) -> Node:
        """``aligned``, ``cases`` (any environment): rows split at ``\\\\``, cells at ``&``."""
        name = _letters(self.argument())
        rows: list[list[Node]] = [[]]
        while self.peek() not in (None, r"\end"):
            rows[-1].append(self.sequence(stops=("&", r"\\", r"\end")))
            token = self.take() if self.peek() in ("&", r"\\") else None
            if token == r"\\":
                rows.append([])
        if self.peek() == r"\end":
            self.take()
            self.argument()
        return Node("env", value=name, rows=[row for row in rows if row])


def _letters(node: Node) -> str:
    """The plain letters of a group (``\\mathrm{KL}``, an environment's name)."""
    if node.kind == "sym":
        return node.value
    return "".join(_letters(item) for item in node.items)


def _fenced(items: list[Node]) -> list[Node]:
    """Brackets matched into ``fence`` nodes (an unmatched bracket stays a symbol)."""
    out: list[Node] = []
    stack: list[int] = []
    for item in items:
        if item.cls == "open":
            stack.append(len(out))
            out.append(item)
        elif item.cls == "close" and stack:
            start = stack.pop()
            fence = Node(
                "fence", value=out[start].value, items=[Node("seq", items=out[start + 1 :])]
            )
            del out[start:]
            out.append(fence)
        else:
            out.append(item)
    return out


def parse(latex: str) -> Node:
    """The LaTeX as a tree: a ``seq`` node."""
    return _Parser(latex).sequence(stops=())


# -- reading the tree aloud ----------------------------------------------------------------

#: Words of the symbols' reading keys, by language (a key not listed is read as itself).
WORDS = {
    "en": {
        "equals": "equals", "ge": "is greater than or equal to", "le": "is less than or equal to",
        "ne": "is not equal to", "so": ", so", "approx": "is approximately", "in": "in",
        "plus": "plus", "minus": "minus", "times": "times", "parallel": "parallel to",
        "dots": "and so on", "infinity": "infinity", "partial": "partial", "log": "log",
        "ln": "natural log of", ",": ",", "sum": "sum", "product": "product",
        "Lambda": "capital lambda", "Sigma": "capital sigma", "Delta": "capital delta",
    },
    "ja": {
        "equals": "イコール", "ge": "大なりイコール", "le": "小なりイコール",
        "ne": "ノットイコール", "so": "、したがって", "approx": "ニアリーイコール", "in": "属する",
        "plus": "プラス", "minus": "マイナス", "times": "かける", "parallel": "平行",
        "dots": "中略", "infinity": "無限大", "partial": "デル", "log": "ログ",
        "ln": "自然対数", ",": "、", "sum": "和", "product": "積", "lambda": "ラムダ",
        "Lambda": "大文字のラムダ", "sigma": "シグマ", "Sigma": "大文字のシグマ",
        "alpha": "アルファ", "chi": "カイ", "mu": "ミュー", "pi": "パイ",
    },
}  # fmt: skip

#: Phrases, by language: how a structure is read, with ``{name}`` for its parts.
PHRASES = {
    "en": {
        "sub": "{base} sub {sub}", "power": "{base} to the power {sup}",
        "squared": "{base} squared", "log_base": "log base {sub} of",
        "hat": "{body} hat", "bar": "{body} bar", "tilde": "{body} tilde",
        "over": "{num} over {den}", "fraction": "the fraction {num}, over {den}, end fraction",
        "derivative": "the partial derivative of {f} with respect to {x}",
        "derivative2": "the second partial derivative of {f} with respect to {x} and {y}",
        "range": "the {op} over {var} from {start} to {end} of {body}",
        "over_set": "the {op} over {var} in {set} of {body}",
        "over_one": "the {op} over {var} of {body}", "bare": "the {op} of {body}",
        "apply": "{f} of {args}", "kl": "the KL divergence of {p} from {q}",
        "(": "open paren {body} close paren", "[": "open bracket {body} close bracket",
        "case": "{value} if {cond}", "cases": "; ", "rows": "; ", "continued": ", ",
    },
    "ja": {
        "sub": "{base} {sub}", "power": "{base} の {sup} 乗", "squared": "{base} の 2 乗",
        "log_base": "底が {sub} のログ", "hat": "{body} ハット", "bar": "{body} バー",
        "tilde": "{body} チルダ", "over": "{den} 分の {num}",
        "fraction": "分母が {den}、分子が {num} の分数",
        "derivative": "{f} の {x} による偏微分",
        "derivative2": "{f} の {x} と {y} による 2 階偏微分",
        "range": "{var} が {start} から {end} までの {body} の{op}",
        "over_set": "{set} に属する {var} についての {body} の{op}",
        "over_one": "{var} についての {body} の{op}", "bare": "{body} の{op}",
        "apply": "{f} カッコ {args} カッコとじ", "kl": "{p} から {q} への KL ダイバージェンス",
        "(": "カッコ {body} カッコとじ", "[": "大カッコ {body} 大カッコとじ",
        "case": "{cond} のとき {value}", "cases": "、", "rows": "。", "continued": "、",
    },
}  # fmt: skip

#: Bases read "f of (…)" before parentheses: capitals and these (λ(…) is a product).
FUNCTIONS = {"sigma", "Lambda", "Sigma", "Delta", "Gamma", "Phi", "Psi", "Omega"}


class _Reader:
    """Reads a tree in one language (``WORDS`` and ``PHRASES``)."""

    def __init__(self, lang: str) -> None:
        self.words, self.phrases = WORDS[lang], PHRASES[lang]

    def phrase(self, key: str, **parts: str) -> str:
        return self.phrases[key].format(**parts)

    def node(self, node: Node) -> str:
        """Any node's reading."""
        if node.kind == "sym":
            return self.words.get(node.value, node.value)
        if node.kind == "seq":
            return self.sequence(node.items)
        if node.kind == "atom":
            return self.atom(node)
        if node.kind == "frac":
            return self.fraction(*node.items)
        if node.kind == "accent":
            return self.phrase(node.value, body=self.node(node.items[0]))
        if node.kind == "fence":
            return self.phrase(node.value, body=self.node(node.items[0]))
        return self.environment(node)

    def atom(self, node: Node) -> str:
        """A base with its subscript and superscript (``log base 2``, ``squared``)."""
        base = node.items[0]
        if base.cls == "fn" and node.sub is not None:
            said = self.phrase("log_base", sub=self.node(node.sub))
        else:
            said = self.node(base)
            if node.sub is not None:
                said = self.phrase("sub", base=said, sub=self.node(node.sub))
        if node.sup is not None:
            sup = self.node(node.sup)
            said = self.phrase("squared" if sup == "2" else "power", base=said, sup=sup)
        return said

    def sequence(self, items: list[Node]) -> str:
        """Items in order: sums take their summand, functions their arguments."""
        said: list[str] = []
        i = 0
        while i < len(items):
            item = items[i]
            nxt = items[i + 1] if i + 1 < len(items) else None
            if _big(item):
                end = _summand_end(items, i + 1)
                said.append(self.big(item, items[i + 1 : end]))
                i = end
                continue
            if nxt is not None and nxt.kind == "fence" and nxt.value == "(" and _function(item):
                said.append(self.application(item, nxt.items[0]))
                i += 2
                continue
            if item.cls == "space" and _beside_relation(items, i):
                i += 1  # "= 0 \\quad\\Rightarrow\\quad y": the relation is the pause
                continue
            said.append(self.node(item))
            if item.kind == "frac" and nxt is not None and nxt.cls not in _SEPARATORS:
                said.append(self.words["times"])  # 1/N log L: "1 over N times log L"
            i += 1
        return _join(said)

    def application(self, function: Node, args: Node) -> str:
        """``f(x)``: "f of x"; D_KL(p ‖ q): the KL divergence of p from q."""
        parts = args.items
        split = [j for j, item in enumerate(parts) if item.value == "parallel"]
        if _is_kl(function) and len(split) == 1:
            p, q = parts[: split[0]], parts[split[0] + 1 :]
            return self.phrase("kl", p=self.sequence(p), q=self.sequence(q))
        return self.phrase("apply", f=self.node(function), args=self.node(args))

    def big(self, node: Node, summand: list[Node]) -> str:
        """A sum or product with its limits and summand."""
        symbol = node.items[0] if node.kind == "atom" else node
        op, body = self.node(symbol), self.sequence(summand)
        sub = node.sub.items if node.kind == "atom" and node.sub is not None else []
        sup = node.sup if node.kind == "atom" else None
        rel = [j for j, item in enumerate(sub) if item.cls == "rel"]
        if not sub:
            return self.phrase("bare", op=op, body=body)
        if rel and sub[rel[0]].value == "equals" and sup is not None:
            var, start = self.sequence(sub[: rel[0]]), self.sequence(sub[rel[0] + 1 :])
            return self.phrase("range", op=op, var=var, start=start, end=self.node(sup), body=body)
        if rel and sub[rel[0]].value == "in":
            var, where = self.sequence(sub[: rel[0]]), self.sequence(sub[rel[0] + 1 :])
            return self.phrase("over_set", op=op, var=var, set=where, body=body)
        return self.phrase("over_one", op=op, var=self.sequence(sub), body=body)

    def fraction(self, num: Node, den: Node) -> str:
        """``a over b`` when both are one atom, a partial derivative, or a fraction at length."""
        derivative = _derivative(num, den)
        if derivative is not None:
            order, f, wrt = derivative
            parts = {"f": self.sequence(f)} | {
                name: self.node(x) for name, x in zip(("x", "y"), wrt, strict=False)
            }
            return self.phrase("derivative2" if order == 2 else "derivative", **parts)
        key = "over" if _simple(num) and _simple(den) else "fraction"
        return self.phrase(key, num=self.node(num), den=self.node(den))

    def environment(self, node: Node) -> str:
        """``cases``: value if condition; ``aligned`` (any other): its rows one after another."""
        if node.value == "cases":
            cases = [
                self.phrase("case", value=self.node(row[0]), cond=_join(map(self.node, row[1:])))
                for row in node.rows
            ]
            return self.phrases["cases"].join(cases)
        said = ""
        for row in node.rows:
            text = _join(self.node(cell) for cell in row).lstrip(",、 ")
            if said:
                cells = [item for cell in row for item in cell.items if item.cls != "space"]
                joint = "continued" if cells and cells[0].cls in ("rel", "op") else "rows"
                said += self.phrases[joint]
            said += text
        return said


#: Classes after which no "times" is said.
_SEPARATORS = ("rel", "op", "punct", "space")


def _beside_relation(items: list[Node], i: int) -> bool:
    """Is the space ``items[i]`` next to a relation (which already makes the pause)?"""
    near = [items[j] for j in (i - 1, i + 1) if 0 <= j < len(items)]
    return any(item.cls == "rel" for item in near)


def _join(parts) -> str:  # type: ignore[no-untyped-def]
    """Words joined by single spaces; no space before a comma, and no comma twice."""
    text = " ".join(part for part in parts if part)
    text = re.sub(r"\s+([,、。;])", r"\1", text)
    text = re.sub(r"([、。])\s+", r"\1", text)
    return re.sub(r"([,、])(?:\s*[,、])+", r"\1", text)


def _big(node: Node) -> bool:
    base = node.items[0] if node.kind == "atom" else node
    return base.cls == "big"


def _summand_end(items: list[Node], start: int) -> int:
    """Where a sum's summand ends: a relation, comma or wide space, or a top-level + / −."""
    end = start
    while end < len(items):
        item = items[end]
        if item.cls in ("rel", "punct", "space"):
            break
        if item.cls == "op" and item.value in ("plus", "minus") and end > start:
            break
        end += 1
    return end


def _function(node: Node) -> bool:
    """Is ``node`` read "… of (…)": a capital letter or a named function, with scripts?"""
    base = node.items[0] if node.kind == "atom" else node
    if base.kind == "accent" or base.kind != "sym" or base.cls != "ident":
        return False
    return (len(base.value) == 1 and base.value.isupper()) or base.value in FUNCTIONS


def _is_kl(node: Node) -> bool:
    return node.kind == "atom" and node.sub is not None and _letters(node.sub) == "KL"


def _simple(node: Node) -> bool:
    """One symbol or atom (``n_k``, ``y_k^2``, ``N``, ``\\lambda``), not an expression."""
    while node.kind == "seq" and len(node.items) == 1:
        node = node.items[0]
    return node.kind in ("sym", "atom", "accent")


def _derivative(num: Node, den: Node) -> tuple[int, list[Node], list[Node]] | None:
    """(order, function, variables) of ∂ⁿf / ∂x ∂y, or None for any other fraction."""
    top = num.items if num.kind == "seq" else [num]
    if not top or _letters(top[0].items[0] if top[0].kind == "atom" else top[0]) != "partial":
        return None
    order = 2 if top[0].kind == "atom" and top[0].sup is not None else 1
    bottom = den.items if den.kind == "seq" else [den]
    wrt = [bottom[j + 1] for j, item in enumerate(bottom[:-1]) if item.value == "partial"]
    return (order, top[1:], wrt) if wrt else None


def spoken(latex: str, lang: str = "en") -> str:
    """The equation in words, in ``lang`` (``en`` or ``ja``): a PDF's alternative text.

    >>> spoken(r"E = -\\log L = -\\sum_{k=1}^{K} t_k \\log y_k")
    'E equals minus log L equals minus the sum over k from 1 to K of t sub k log y sub k'
    """
    return _Reader(lang).node(parse(latex)).strip()
