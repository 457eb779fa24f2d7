"""Export the graph in every RDF format and as CSV tables, always written atomically."""

from __future__ import annotations

import csv
import io
import json
import os
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox

from canus.atomic import write_bytes, write_dir
from canus.errors import OutputError
from canus.loader import KnowledgeGraph
from canus.namespaces import ID, ONTOLOGY, PREFIXES, RDF, RDFS, compact

FORMATS = ("turtle", "nt", "jsonld", "xml", "trig", "nquads", "csv")
EXTENSIONS = {
    "turtle": "ttl",
    "nt": "nt",
    "jsonld": "jsonld",
    "xml": "rdf",
    "trig": "trig",
    "nquads": "nq",
    "csv": "csv",
}
_OX_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "xml": ox.RdfFormat.RDF_XML,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
}


def jsonld_context(prefixes: dict[str, str] | None = None) -> dict:
    """The JSON-LD ``@context``: the canus prefixes, so keys read ``rdfs:label``."""
    context: dict[str, object] = dict(sorted((prefixes or PREFIXES).items()))
    context["@language"] = None
    return {"@context": context}


def _sorted_triples(kg: KnowledgeGraph) -> list[ox.Triple]:
    triples = set(kg.triples())
    return sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


def _used_prefixes(kg: KnowledgeGraph, triples) -> dict[str, str]:
    used: dict[str, str] = {}
    spaces = sorted(kg.prefixes.items(), key=lambda kv: -len(kv[1]))
    for triple in triples:
        for term in (triple.subject, triple.predicate, triple.object):
            if isinstance(term, ox.NamedNode):
                for prefix, ns in spaces:
                    if term.value.startswith(ns):
                        used.setdefault(prefix, ns)
                        break
            elif isinstance(term, ox.Literal) and term.datatype is not None:
                for prefix, ns in spaces:
                    if term.datatype.value.startswith(ns):
                        used.setdefault(prefix, ns)
                        break
    return dict(sorted(used.items()))


def serialize(kg: KnowledgeGraph, fmt: str) -> bytes:
    """The graph in ``fmt`` (one of the RDF formats of :data:`FORMATS`, not csv)."""
    if fmt == "jsonld":
        return _jsonld(kg)
    if fmt not in _OX_FORMATS:
        raise OutputError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    target = _OX_FORMATS[fmt]
    if target.supports_datasets:
        quads = sorted(
            kg.store,
            key=lambda q: (q.graph_name.value, str(q.subject), str(q.predicate), str(q.object)),
        )
        prefixes = _used_prefixes(kg, [q.triple for q in quads]) if fmt == "trig" else None
        return ox.serialize(quads, format=target, prefixes=prefixes)
    triples = _sorted_triples(kg)
    prefixes = _used_prefixes(kg, triples) if fmt in ("turtle", "xml") else None
    return ox.serialize(triples, format=target, prefixes=prefixes)


def _jsonld(kg: KnowledgeGraph) -> bytes:
    """JSON-LD compacted with :func:`jsonld_context` (rdflib does the compaction)."""
    import rdflib

    from canus.convert import to_rdflib

    graph = rdflib.Graph()
    for triple in _sorted_triples(kg):
        graph.add(to_rdflib(triple))
    context = jsonld_context(_used_prefixes(kg, kg.triples()))["@context"]
    context.pop("@language", None)
    text = graph.serialize(
        format="json-ld", context=context, auto_compact=True, indent=2, sort_keys=True
    )
    return text.encode("utf-8")


def export(
    kg: KnowledgeGraph, fmt: str, output: str | os.PathLike[str] | None = None
) -> bytes | None:
    """Export ``kg`` as ``fmt``; write ``output`` atomically, or return the bytes if no output.

    ``csv`` writes a folder with one table per class (``output`` is required).
    """
    if fmt == "csv":
        if output is None:
            raise OutputError("csv export writes one table per class: give --output FOLDER")
        tables = csv_tables(kg)

        def fill(folder: Path) -> None:
            for name, data in tables.items():
                (folder / name).write_bytes(data)

        write_dir(output, fill)
        return None
    data = serialize(kg, fmt)
    if output is None:
        return data
    write_bytes(output, data)
    return None


def csv_tables(kg: KnowledgeGraph) -> dict[str, bytes]:
    """One CSV per canus class: ``iri``, ``label_en``, ``label_fr``, then a column per property
    (several values joined with `` | ``), things sorted by IRI; plus ``index.csv``."""
    query = f"""
        SELECT ?class ?s ?p ?o WHERE {{
          ?s a ?class . ?s ?p ?o .
          FILTER(STRSTARTS(STR(?class), "{ONTOLOGY}") && STRSTARTS(STR(?s), "{ID}"))
        }}"""
    by_class: dict[str, dict[str, dict[str, list[str]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(list))
    )
    for row in kg.store.query(query, use_default_graph_as_union=True):
        cls, subject, predicate, obj = row["class"].value, row["s"].value, row["p"].value, row["o"]
        if predicate == RDF + "type":
            continue
        if (
            predicate == RDFS + "label"
            and isinstance(obj, ox.Literal)
            and obj.language in ("en", "fr")
        ):
            column = f"label_{obj.language}"
        elif isinstance(obj, ox.Literal) and obj.language:
            column = f"{compact(predicate, kg.prefixes)}@{obj.language}"
        else:
            column = compact(predicate, kg.prefixes)
        value = obj.value if not isinstance(obj, ox.NamedNode) else compact(obj.value, kg.prefixes)
        by_class[cls][subject][column].append(value)
    tables: dict[str, bytes] = {}
    index = io.StringIO()
    index_writer = csv.writer(index, lineterminator="\n")
    index_writer.writerow(["class", "file", "rows"])
    for cls in sorted(by_class):
        things = by_class[cls]
        columns = sorted({c for props in things.values() for c in props} - {"label_en", "label_fr"})
        header = ["iri", "label_en", "label_fr", *columns]
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(header)
        for subject in sorted(things):
            props = things[subject]
            writer.writerow([subject] + [" | ".join(sorted(props.get(c, []))) for c in header[1:]])
        local = cls[len(ONTOLOGY) :]
        name = f"{local}.csv"
        tables[name] = buffer.getvalue().encode("utf-8")
        index_writer.writerow([compact(cls, kg.prefixes), name, len(things)])
    tables["index.csv"] = index.getvalue().encode("utf-8")
    return tables


def context_document() -> bytes:
    """The JSON-LD context as a standalone document."""
    return (json.dumps(jsonld_context(), indent=2) + "\n").encode("utf-8")
