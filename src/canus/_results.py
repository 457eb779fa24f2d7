"""Query results, local or remote, in one shape, and their renderings (table, csv, json...)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field

import pyoxigraph as ox

from canus._namespaces import PREFIXES, XSD, compact

Term = ox.NamedNode | ox.BlankNode | ox.Literal
FORMATS = ("table", "csv", "tsv", "json", "md")
TABLE_CELL_WIDTH = 72
_XSD_STRING = XSD + "string"


@dataclass
class QueryResult:
    """What a query returned: rows (SELECT), a boolean (ASK) or triples (CONSTRUCT/DESCRIBE)."""

    kind: str  # "select" | "ask" | "graph"
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, Term | None]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)
    prefixes: dict[str, str] = field(default_factory=lambda: dict(PREFIXES), repr=False)

    def __len__(self) -> int:
        return len(self.rows) if self.kind == "select" else len(self.triples)

    def __iter__(self):
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

    def render(self, fmt: str = "table") -> str:
        """The result in ``fmt``; graph results are Turtle whatever the format."""
        if self.kind == "graph":
            return ox.serialize(
                self.triples, format=ox.RdfFormat.TURTLE, prefixes=self._used_prefixes()
            ).decode()
        if self.kind == "ask":
            if fmt == "json":
                return json.dumps({"head": {}, "boolean": bool(self.boolean)}) + "\n"
            return ("true" if self.boolean else "false") + "\n"
        renderers: dict[str, Callable[[], str]] = {
            "table": self._table,
            "csv": lambda: self._delimited(","),
            "tsv": self._tsv,
            "json": self._json,
            "md": self._markdown,
        }
        if fmt not in renderers:
            raise ValueError(f"unknown result format {fmt!r}; use one of {', '.join(FORMATS)}")
        return renderers[fmt]()

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

    def _cells(self, width: int | None = None) -> list[list[str]]:
        cells = [[self._short(row.get(v)) for v in self.variables] for row in self.rows]
        if width:
            cells = [[c if len(c) <= width else c[: width - 1] + "…" for c in row] for row in cells]
        return cells

    def _table(self) -> str:
        # long texts are cut for the screen; csv, tsv, json and md keep them whole
        cells = self._cells(TABLE_CELL_WIDTH)
        widths = [len(v) for v in self.variables]
        for row in cells:
            for i, cell in enumerate(row):
                widths[i] = max(widths[i], len(cell))

        def line(values: list[str]) -> str:
            return "  ".join(v.ljust(widths[i]) for i, v in enumerate(values)).rstrip()

        out = [line(self.variables), line(["-" * w for w in widths])]
        out += [line(row) for row in cells]
        out.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
        return "\n".join(out) + "\n"

    def _delimited(self, delimiter: str) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow(self.variables)
        for row in self.rows:
            writer.writerow(["" if row.get(v) is None else row[v].value for v in self.variables])
        return buffer.getvalue()

    def _tsv(self) -> str:
        # SPARQL 1.1 TSV: header of ?vars, terms in their N-Triples/Turtle form.
        out = ["\t".join("?" + v for v in self.variables)]
        for row in self.rows:
            out.append("\t".join("" if row.get(v) is None else str(row[v]) for v in self.variables))
        return "\n".join(out) + "\n"

    def _json(self) -> str:
        bindings = []
        for row in self.rows:
            binding = {}
            for v in self.variables:
                term = row.get(v)
                if term is not None:
                    binding[v] = term_to_json(term)
            bindings.append(binding)
        payload = {"head": {"vars": self.variables}, "results": {"bindings": bindings}}
        return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"

    def _markdown(self) -> str:
        def esc(text: str) -> str:
            return text.replace("|", "\\|").replace("\n", " ")

        out = ["| " + " | ".join(self.variables) + " |", "|" + "---|" * len(self.variables)]
        for row in self._cells():
            out.append("| " + " | ".join(esc(c) for c in row) + " |")
        return "\n".join(out) + "\n"


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
