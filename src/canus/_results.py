"""Query results, local or remote, in one shape, and their renderings (table, csv, json...).

Rows can be a lazy stream: :meth:`QueryResult.write` renders them as they come, so a large
``SELECT`` prints with flat memory; ``rows``, ``records()`` and ``render()`` read them all.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from collections.abc import Iterable, Iterator
from typing import TextIO

import pyoxigraph as ox

from canus._errors import OutputError
from canus._formats import RESULT_FORMATS as FORMATS
from canus._namespaces import PREFIXES, XSD, compact

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Row = dict[str, Term | None]
TABLE_CELL_WIDTH = 72
#: Rows read before a table's column widths are fixed (the rest are cut to fit them).
TABLE_SAMPLE = 500
_XSD_STRING = XSD + "string"
_CUT = "…"


class QueryResult:
    """What a query returned: rows (SELECT), a boolean (ASK) or triples (CONSTRUCT/DESCRIBE),
    and warnings about the query (an IRI parameter found in no triple)."""

    def __init__(
        self,
        kind: str,
        *,
        variables: list[str] | None = None,
        rows: Iterable[Row] = (),
        boolean: bool | None = None,
        triples: list[ox.Triple] | None = None,
        prefixes: dict[str, str] | None = None,
        warnings: list[str] | None = None,
    ) -> None:
        self.kind = kind  # "select" | "ask" | "graph"
        self.variables = list(variables or [])
        self.boolean = boolean
        self.triples = list(triples or [])
        self.prefixes = dict(prefixes or PREFIXES)
        self.warnings = list(warnings or [])
        self._rows: list[Row] | None = rows if isinstance(rows, list) else None
        self._stream: Iterator[Row] | None = None if self._rows is not None else iter(rows)

    def __repr__(self) -> str:
        return f"<QueryResult {self.kind} variables={self.variables}>"

    @property
    def rows(self) -> list[Row]:
        """Every row (read from the stream on first use)."""
        return self.materialize()._rows or []

    def materialize(self) -> QueryResult:
        """Read every row now (e.g. within a timeout); returns the result itself."""
        if self._rows is None:
            self._rows = list(self._stream or ())
            self._stream = None
        return self

    def iter_rows(self) -> Iterator[Row]:
        """The rows, from the stream if they were not read yet (then only once)."""
        if self._rows is not None:
            return iter(self._rows)
        stream, self._stream = self._stream or iter(()), None
        self._rows = None
        return stream

    def __len__(self) -> int:
        return len(self.rows) if self.kind == "select" else len(self.triples)

    def __iter__(self) -> Iterator[dict[str, str | None]]:
        return iter(self.records())

    def records(self) -> list[dict[str, str | None]]:
        """Rows as plain dicts of strings (IRIs in full, literals as their lexical value)."""
        return [
            {v: (None if row.get(v) is None else row[v].value) for v in self.variables}
            for row in self.rows
        ]

    def column(self, name: str) -> list[str | None]:
        """One column's values as strings."""
        return [None if row.get(name) is None else row[name].value for row in self.rows]

    def render(self, fmt: str = "table", *, width: int | None = None) -> str:
        """The result in ``fmt``; graph results are Turtle whatever the format."""
        buffer = io.StringIO()
        self.write(buffer, fmt, width=width)
        return buffer.getvalue()

    def write(self, out: TextIO, fmt: str = "table", *, width: int | None = None) -> None:
        """Write the result in ``fmt`` to ``out`` as the rows come; ``width`` is the screen
        width a table must fit (columns are cut with ``…``), None for no limit."""
        if fmt not in FORMATS:
            raise OutputError(f"unknown result format {fmt!r}; use one of {', '.join(FORMATS)}")
        if self.kind == "graph":
            out.write(
                ox.serialize(
                    self.triples, format=ox.RdfFormat.TURTLE, prefixes=self._used_prefixes()
                ).decode()
            )
            return
        if self.kind == "ask":
            if fmt == "json":
                out.write(json.dumps({"head": {}, "boolean": bool(self.boolean)}) + "\n")
            else:
                out.write(("true" if self.boolean else "false") + "\n")
            return
        writer = {
            "table": self._table,
            "csv": self._csv,
            "tsv": self._tsv,
            "json": self._json,
            "md": self._markdown,
        }[fmt]
        writer(out, width) if fmt == "table" else writer(out)

    def _used_prefixes(self) -> dict[str, str]:
        used = {}
        for triple in self.triples:
            for term in (triple.subject, triple.predicate, triple.object):
                if isinstance(term, ox.Literal):
                    term = term.datatype
                if isinstance(term, ox.NamedNode):
                    for prefix, ns in self.prefixes.items():
                        if term.value.startswith(ns):
                            used[prefix] = ns
        return dict(sorted(used.items()))

    def _short(self, term: Term | None) -> str:
        if term is None:
            return ""
        if isinstance(term, ox.NamedNode):
            return compact(term.value, self.prefixes)
        if isinstance(term, ox.BlankNode):
            return f"_:{term.value}"
        return " ".join(term.value.split())

    def _cells(self, row: Row) -> list[str]:
        return [self._short(row.get(v)) for v in self.variables]

    def _table(self, out: TextIO, width: int | None) -> None:
        rows = self.iter_rows()
        sample = [self._cells(r) for r in itertools.islice(rows, TABLE_SAMPLE)]
        widths = [len(v) for v in self.variables]
        for cells in sample:
            for i, cell in enumerate(cells):
                widths[i] = max(widths[i], min(len(cell), TABLE_CELL_WIDTH))
        widths = fit_widths(widths, width)

        def line(values: list[str]) -> str:
            return "  ".join(cut(v, widths[i]).ljust(widths[i]) for i, v in enumerate(values))

        out.write(line(self.variables).rstrip() + "\n")
        out.write(line(["-" * w for w in widths]).rstrip() + "\n")
        count = 0
        for cells in itertools.chain(sample, (self._cells(r) for r in rows)):
            out.write(line(cells).rstrip() + "\n")
            count += 1
        out.write(f"({count} row{'s' if count != 1 else ''})\n")

    def _csv(self, out: TextIO) -> None:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(self.variables)
        for row in self.iter_rows():
            writer.writerow(["" if row.get(v) is None else row[v].value for v in self.variables])

    def _tsv(self, out: TextIO) -> None:
        # SPARQL 1.1 TSV: header of ?vars, terms in their N-Triples/Turtle form.
        out.write("\t".join("?" + v for v in self.variables) + "\n")
        for row in self.iter_rows():
            cells = ("" if row.get(v) is None else str(row[v]) for v in self.variables)
            out.write("\t".join(cells) + "\n")

    def _json(self, out: TextIO) -> None:
        head = json.dumps({"vars": self.variables}, ensure_ascii=False)
        out.write(f'{{\n  "head": {head},\n  "results": {{\n    "bindings": [')
        first = True
        for row in self.iter_rows():
            binding = {v: term_to_json(t) for v in self.variables if (t := row.get(v)) is not None}
            out.write(("\n" if first else ",\n") + "      ")
            out.write(json.dumps(binding, ensure_ascii=False))
            first = False
        out.write("\n    ]\n  }\n}\n" if not first else "]\n  }\n}\n")

    def _markdown(self, out: TextIO) -> None:
        def esc(text: str) -> str:
            return text.replace("|", "\\|").replace("\n", " ")

        out.write("| " + " | ".join(self.variables) + " |\n")
        out.write("|" + "---|" * len(self.variables) + "\n")
        for row in self.iter_rows():
            out.write("| " + " | ".join(esc(c) for c in self._cells(row)) + " |\n")


def cut(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters, ending in ``…`` when something was left out."""
    return text if len(text) <= width else text[: max(width - 1, 0)] + _CUT


def fit_widths(widths: list[int], total: int | None, minimum: int = 6) -> list[int]:
    """Column widths narrowed, widest first, until the table (two spaces between columns) fits
    ``total`` characters; a column never goes below ``minimum`` (or its own width)."""
    widths = list(widths)
    if not total or not widths:
        return widths
    gaps = 2 * (len(widths) - 1)
    floors = [min(w, minimum) for w in widths]
    while sum(widths) + gaps > total:
        i = max(range(len(widths)), key=lambda k: widths[k] - floors[k])
        if widths[i] <= floors[i]:
            break
        widths[i] -= 1
    return widths


def term_to_json(term: Term) -> dict[str, str]:
    """A term in the SPARQL 1.1 Query Results JSON form."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != _XSD_STRING:
        out["datatype"] = term.datatype.value
    return out


def term_from_json(data: dict[str, str]) -> Term:
    """A term from the SPARQL 1.1 Query Results JSON form (``typed-literal`` accepted too)."""
    kind = data.get("type")
    value = data.get("value", "")
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":
        return ox.BlankNode(value)
    lang = data.get("xml:lang")
    if lang:
        return ox.Literal(value, language=lang)
    datatype = data.get("datatype")
    if datatype and datatype != _XSD_STRING:
        return ox.Literal(value, datatype=ox.NamedNode(datatype))
    return ox.Literal(value)
