"""The release files: the graph in every format, CSV tables, the ontology, shapes and queries.

Everything is returned as ``{relative path: bytes}`` so the build can write, hash and compare it
as one set; nothing here reads the clock, so the same data gives the same bytes.
"""

from __future__ import annotations

import pyoxigraph as ox

from canus._export import csv_tables, export
from canus._load import ONTOLOGY_FILE, SHAPES_FILE, KnowledgeGraph
from canus.site._jsonld import build_context, context_document, graph_document

#: The graph's files and the export format of each.
GRAPH_FILES = (
    ("canus.ttl", "turtle"),
    ("canus.nt", "nt"),
    ("canus.jsonld", "jsonld"),
    ("canus.rdf", "xml"),
    ("canus.trig", "trig"),
    ("canus.nq", "nquads"),
)

MEDIA_TYPES = {
    ".ttl": "text/turtle",
    ".nt": "application/n-triples",
    ".jsonld": "application/ld+json",
    ".rdf": "application/rdf+xml",
    ".trig": "application/trig",
    ".nq": "application/n-quads",
    ".csv": "text/csv",
    ".rq": "application/sparql-query",
    ".md": "text/markdown",
    ".html": "text/html",
}


def _sorted_lines(data: bytes) -> bytes:
    """Line-based formats in sorted order, so their bytes never depend on store order."""
    lines = sorted(set(data.splitlines(keepends=True)))
    return b"".join(lines)


def graph_files(kg: KnowledgeGraph) -> dict[str, bytes]:
    """The whole graph in every RDF format, plus the JSON-LD context on its own."""
    files: dict[str, bytes] = {}
    context = build_context(kg)
    for name, fmt in GRAPH_FILES:
        if fmt == "jsonld":
            files[name] = graph_document(kg, context)
            continue
        data = export(kg, fmt)
        assert data is not None
        files[name] = _sorted_lines(data) if fmt in ("nt", "nquads") else data
    files["context.jsonld"] = context_document(context)
    return files


def table_files(kg: KnowledgeGraph) -> dict[str, bytes]:
    """One CSV per class (``iri``, ``label_en``, ``label_fr``, then a column per property)."""
    return {f"csv/{name}": data for name, data in csv_tables(kg).items()}


def _graph_of(kg: KnowledgeGraph, display: str) -> str:
    for loaded in kg.files:
        if loaded.name == display:
            return loaded.graph
    raise KeyError(display)


def ontology_files(kg: KnowledgeGraph) -> dict[str, bytes]:
    """The ontology alone (its Turtle as written, and RDF/XML), the shapes, the saved queries."""
    root = kg.root
    files = {"ontology/canus.ttl": (root / ONTOLOGY_FILE).read_bytes()}
    graph = ox.NamedNode(_graph_of(kg, ONTOLOGY_FILE))
    triples = sorted(
        (q.triple for q in kg.store.quads_for_pattern(None, None, None, graph)), key=str
    )
    prefixes = dict(sorted(kg.prefixes.items()))
    rdfxml = ox.serialize(triples, format=ox.RdfFormat.RDF_XML, prefixes=prefixes)
    files["ontology/canus.rdf"] = rdfxml or b""
    shapes = root / SHAPES_FILE
    if shapes.is_file():
        files["ontology/shapes.ttl"] = shapes.read_bytes()
    for path in sorted(kg.queries_dir.glob("*.rq")):
        files[f"queries/{path.name}"] = path.read_bytes()
    return files
