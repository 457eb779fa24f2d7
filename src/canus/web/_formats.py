"""Write query results: SELECT/ASK in the SPARQL 1.1 results formats, graphs in RDF formats."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from canus._results import term_to_json

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Row = Sequence[Term | None]

_RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "jsonld": ox.RdfFormat.JSON_LD,
    "nt": ox.RdfFormat.N_TRIPLES,
    "rdfxml": ox.RdfFormat.RDF_XML,
}


def write_select(fmt: str, variables: list[str], rows: list[Row]) -> bytes:
    """SELECT results (``rows`` aligned with ``variables``) as json, xml, csv or tsv."""
    if fmt == "json":
        bindings = [
            {v: term_to_json(t) for v, t in zip(variables, row, strict=False) if t is not None}
            for row in rows
        ]
        payload = {"head": {"vars": variables}, "results": {"bindings": bindings}}
        return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if fmt == "xml":
        return _select_xml(variables, rows)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(variables)
        writer.writerows(["" if t is None else _csv_value(t) for t in row] for row in rows)
        return buffer.getvalue().encode("utf-8")
    if fmt == "tsv":
        lines = ["\t".join("?" + v for v in variables)]
        lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode("utf-8")
    raise ValueError(f"unknown results format {fmt!r}")


def _csv_value(term: Term) -> str:
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value


def _select_xml(variables: list[str], rows: list[Row]) -> bytes:
    out = [
        '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>',
        *(f"<variable name={quoteattr(v)}/>" for v in variables),
        "</head><results>",
    ]
    for row in rows:
        out.append("<result>")
        for variable, term in zip(variables, row, strict=False):
            if term is not None:
                out.append(f"<binding name={quoteattr(variable)}>{_xml_term(term)}</binding>")
        out.append("</result>")
    out.append("</results></sparql>\n")
    return "".join(out).encode("utf-8")


def _xml_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"


def write_ask(fmt: str, value: bool) -> bytes:
    """An ASK result as json, xml, csv or tsv."""
    word = "true" if value else "false"
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if fmt == "xml":
        return (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{word}</boolean></sparql>\n"
        ).encode()
    return (
        f"_askResult\r\n{word}\r\n".encode() if fmt == "csv" else f"?_askResult\n{word}\n".encode()
    )


def write_graph(fmt: str, triples: list[ox.Triple], prefixes: dict[str, str]) -> bytes:
    """Triples as turtle, jsonld, nt or rdfxml (prefixes used where the format has them)."""
    target = _RDF_FORMATS[fmt]
    if fmt in ("turtle", "rdfxml"):
        return ox.serialize(triples, format=target, prefixes=_used(triples, prefixes)) or b""
    return ox.serialize(triples, format=target) or b""


def _used(triples: list[ox.Triple], prefixes: dict[str, str]) -> dict[str, str]:
    """The prefixes whose namespace starts an IRI of ``triples`` (keeps output tidy)."""
    namespaces: set[str] = set()
    for triple in triples:
        for term in (triple.subject, triple.predicate, triple.object):
            if isinstance(term, ox.NamedNode):
                namespaces.add(term.value)
    used = {}
    for prefix, ns in sorted(prefixes.items()):
        if any(iri.startswith(ns) for iri in namespaces):
            used[prefix] = ns
    return used
