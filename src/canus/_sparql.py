"""SPARQL query text: the one scanner that reads prefixes, form, dataset clauses and SERVICE.

Every place that looks inside a query's text (binding parameters for a remote endpoint, refusing
updates, honouring ``FROM``, ``SELECT *`` column order, error messages) goes through
:func:`scan`, which skips comments, strings and IRIs the same way each time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from canus._errors import QueryError

BOM = "\ufeff"
QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_WORDS = (
    "INSERT",
    "DELETE",
    "LOAD",
    "CLEAR",
    "CREATE",
    "DROP",
    "COPY",
    "MOVE",
    "ADD",
    "WITH",
)

_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
# Name characters beyond ASCII are written as ``[^\x00-\xbf]`` (U+00C0 upward, as SPARQL's
# PN_CHARS_BASE): a class spanning U+00C0-U+FFFF beside ``\w`` takes ~10 ms to compile.
_WIDE = r"[^\x00-\xbf]"
_VAR = re.compile(rf"[?$](?:[A-Za-z0-9_\u00b7]|{_WIDE})+")
_NAME = re.compile(rf"(?:[A-Za-z_]|{_WIDE})(?:[\w\-.\u00b7]|{_WIDE})*")
_PNAME = re.compile(rf"((?:[A-Za-z]|{_WIDE})(?:[\w\-.]|{_WIDE})*)?:((?:[\w\-.%:]|{_WIDE})*)")
_POSITION = re.compile(r"^error at (\d+):(\d+): (.*)$", re.S)


@dataclass(frozen=True)
class Token:
    """One token of query text: ``kind`` is iri, pname, var, word, string or punct."""

    kind: str
    text: str
    start: int
    depth: int


def tokens(text: str) -> Iterator[Token]:
    """The tokens of ``text`` with their brace depth; comments and whitespace skipped.

    Raises QueryError for a string that never ends (one line, not the parser's wall of text).
    """
    i, depth, n = 0, 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
        elif c == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
        elif c in "\"'":
            quote = text[i : i + 3] if text[i : i + 3] in ('"""', "'''") else c
            j = i + len(quote)
            while j < n and not text.startswith(quote, j):
                if len(quote) == 1 and text[j] == "\n":
                    break
                j += 2 if text[j] == "\\" else 1
            if j >= n or not text.startswith(quote, j):
                line, column = position(text, i)
                raise QueryError(f"{line}:{column}: unterminated string")
            yield Token("string", text[i : j + len(quote)], i, depth)
            i = j + len(quote)
        elif c == "<" and (match := _IRIREF.match(text, i)):
            yield Token("iri", match.group(0)[1:-1], i, depth)
            i = match.end()
        elif c in "?$" and (match := _VAR.match(text, i)):
            yield Token("var", match.group(0)[1:], i, depth)
            i = match.end()
        elif (match := _PNAME.match(text, i)) and (c == ":" or c.isalpha()):
            yield Token("pname", match.group(0), i, depth)
            i = match.end()
        elif match := _NAME.match(text, i):
            yield Token("word", match.group(0), i, depth)
            i = match.end()
        else:
            if c == "{":
                yield Token("punct", c, i, depth)
                depth += 1
            else:
                if c == "}":
                    depth -= 1
                yield Token("punct", c, i, depth)
            i += 1


def position(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of ``index`` in ``text``."""
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


@dataclass
class Shape:
    """What the scanner learned about a query's text."""

    form: str = ""  # SELECT, ASK, CONSTRUCT, DESCRIBE, or the first word of an update
    prefixes: dict[str, str] = field(default_factory=dict)  # declared in the prologue
    default_graphs: list[str] = field(default_factory=list)  # FROM <g>
    named_graphs: list[str] = field(default_factory=list)  # FROM NAMED <g>
    service: list[str] = field(default_factory=list)  # SERVICE targets (IRIs or variables)
    select_star: bool = False
    variables: list[str] = field(default_factory=list)  # in order of first appearance
    where_brace: int = -1  # index of the ``{`` that opens the top-level WHERE group

    @property
    def is_update(self) -> bool:
        return self.form in UPDATE_WORDS

    @property
    def has_dataset(self) -> bool:
        return bool(self.default_graphs or self.named_graphs)


def scan(text: str, prefixes: dict[str, str] | None = None) -> Shape:
    """Read the shape of ``text``; prefixed names in FROM/SERVICE expand with ``prefixes`` too."""
    shape = Shape()
    toks = list(tokens(text))
    known = dict(prefixes or {})
    top_braces: list[int] = []
    after_where = False
    k = 0
    while k < len(toks):
        tok = toks[k]
        upper = tok.text.upper() if tok.kind == "word" else ""
        if tok.kind == "var" and tok.text not in shape.variables:
            shape.variables.append(tok.text)
        if tok.depth == 0 and tok.kind == "word":
            if upper == "PREFIX" and k + 2 < len(toks) and toks[k + 2].kind == "iri":
                name = toks[k + 1].text.rstrip(":") if toks[k + 1].kind == "pname" else ""
                shape.prefixes[name] = toks[k + 2].text
                known[name] = toks[k + 2].text
                k += 3
                continue
            if not shape.form and (upper in QUERY_FORMS or upper in UPDATE_WORDS):
                shape.form = upper
                if upper == "SELECT":
                    rest = [t for t in toks[k + 1 : k + 3] if t.kind == "word" or t.text == "*"]
                    words = [t.text.upper() for t in rest]
                    shape.select_star = "*" in words[:2] and (
                        words[0] == "*" or words[0] in ("DISTINCT", "REDUCED")
                    )
            elif upper == "FROM" and k + 1 < len(toks):
                nxt = toks[k + 1]
                named = nxt.kind == "word" and nxt.text.upper() == "NAMED"
                target = toks[k + 2] if named and k + 2 < len(toks) else nxt
                iri = _iri_of(target, known)
                if iri is not None:
                    (shape.named_graphs if named else shape.default_graphs).append(iri)
            elif upper == "WHERE":
                after_where = True
        if tok.kind == "word" and upper == "SERVICE":
            nxt = toks[k + 1] if k + 1 < len(toks) else None
            if nxt is not None and nxt.kind == "word" and nxt.text.upper() == "SILENT":
                nxt = toks[k + 2] if k + 2 < len(toks) else None
            if nxt is not None:
                shape.service.append(_iri_of(nxt, known) or "?" + nxt.text)
        if tok.kind == "punct" and tok.text == "{" and tok.depth == 0:
            if after_where and shape.where_brace < 0:
                shape.where_brace = tok.start
            top_braces.append(tok.start)
        k += 1
    if shape.where_brace < 0 and top_braces:
        # WHERE left out: the group is the first top-level brace, or the second after a
        # CONSTRUCT template
        template = shape.form == "CONSTRUCT" and len(top_braces) > 1
        shape.where_brace = top_braces[1 if template else 0]
    return shape


def _iri_of(tok: Token, prefixes: dict[str, str]) -> str | None:
    if tok.kind == "iri":
        return tok.text
    if tok.kind == "pname":
        name, _, local = tok.text.partition(":")
        ns = prefixes.get(name)
        return None if ns is None else ns + local
    return None


def strip_bom(text: str) -> str:
    """Query text without a leading UTF-8 byte order mark (editors on Windows add one)."""
    return text[1:] if text.startswith(BOM) else text


def with_prefixes(text: str, prefixes: dict[str, str]) -> str:
    """Declare ``prefixes`` the text does not declare itself, on its first line (line numbers
    of the query stay the same)."""
    declared = scan(text).prefixes
    head = " ".join(
        f"PREFIX {p}: <{ns}>" for p, ns in sorted(prefixes.items()) if p not in declared
    )
    return f"{head} {text}" if head else text


def with_values(text: str, bound: dict) -> str:
    """Bind parameters for a remote endpoint: a ``VALUES`` block opening the WHERE group.

    The terms are written by the RDF library from checked values (N-Triples form), so nothing
    a user typed reaches the query text unescaped.
    """
    if not bound:
        return text
    at = scan(text).where_brace
    if at < 0:
        raise QueryError("cannot find the query's WHERE clause to bind parameters")
    names = " ".join("?" + k for k in bound)
    terms = " ".join(str(v) for v in bound.values())
    return f"{text[: at + 1]} VALUES ({names}) {{ ({terms}) }}{text[at + 1 :]}"


def check_read_only(text: str, origin: str, prefixes: dict[str, str] | None = None) -> Shape:
    """The query's shape (``prefixes`` known beside its own); QueryError if it is an update
    (canus never changes the graph)."""
    try:
        shape = scan(text, prefixes)
    except QueryError as exc:
        raise QueryError(f"{origin}:{exc}") from None
    if shape.is_update:
        raise QueryError(f"{origin}: canus query is read-only; updates are not run")
    return shape


def syntax_message(origin: str, text: str, message: str) -> str:
    """One line for a parser error: where it is and what is wrong, without the parser's list of
    character ranges."""
    match = _POSITION.match(message.strip())
    if not match:
        return f"{origin}: syntax error: {message.strip().splitlines()[0]}"
    line, column, detail = int(match.group(1)), int(match.group(2)), match.group(3)
    where = f"{origin}:{line}:{column}"
    if "Prefix not found" in detail:
        name = _pname_at(text, line, column)
        if name is not None:
            return (
                f"{where}: unknown prefix '{name}:'; declare it with PREFIX {name}: <...>"
                " (canus declares canus:, id:, rdfs:, skos:, dcterms: ...)"
            )
        return f"{where}: unknown prefix"
    near = _word_at(text, line, column)
    summary = " ".join(detail.split())
    if len(summary) > 80 or "[" in summary:
        items = re.findall(r'"((?:[^"\\]|\\.)+)"|\b([A-Z][A-Z_]+)\b', detail)
        words = list(dict.fromkeys(a or b for a, b in items if (a or b) != "Prefix"))
        summary = "expected one of " + " ".join(words[:8]) if words else "unexpected text"
    return f"{where}: syntax error" + (f" near '{near}'" if near else "") + f": {summary}"


def _line_text(text: str, line: int) -> str:
    lines = text.splitlines()
    return lines[line - 1] if 0 < line <= len(lines) else ""


def _pname_at(text: str, line: int, column: int) -> str | None:
    """The prefix of the last prefixed name that starts before ``column`` on ``line``."""
    row = _line_text(text, line)
    found = None
    for match in re.finditer(r"(?<![\w<?$])([A-Za-z][\w\-.]*)?:", row):
        if match.start() < column:
            found = match.group(1) or ""
    return found


def _word_at(text: str, line: int, column: int) -> str:
    row = _line_text(text, line)
    match = re.match(r"\S{1,30}", row[max(column - 1, 0) :])
    return match.group(0) if match else ""
