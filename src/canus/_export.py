"""Export the graph in every RDF format and as CSV tables, always written atomically."""

from __future__ import annotations

import csv
import io
import json
import os
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox

from canus._atomic import write_bytes, write_dir
from canus._errors import OutputError
from canus._load import KnowledgeGraph
from canus._namespaces import ID, ONTOLOGY, PREFIXES, RDF, RDFS, compact

FORMATS = ("turtle", "nt", "jsonld", "xml", "trig", "nquads", "csv")
_OX_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "xml": ox.RdfFormat.RDF_XML,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
}


def jsonld_context(prefixes: dict[str, str] | None = None) -> dict:
    """The JSON-LD ``@context``: the canus prefixes, so keys read ``rdfs:label``."""
    return {"@context": dict(sorted((prefixes or PREFIXES).items()))}


_UNION = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"


def union_store(kg: KnowledgeGraph) -> ox.Store:
    """The union of the files' graphs as one default graph (duplicates merged), in Oxigraph."""
    triples = kg.store.query(_UNION).serialize(format=ox.RdfFormat.N_TRIPLES)
    union = ox.Store()
    union.load(triples, format=ox.RdfFormat.N_TRIPLES)
    return union


def serialize(kg: KnowledgeGraph, fmt: str) -> bytes:
    """The graph in ``fmt`` (one of the RDF formats of :data:`FORMATS`, not csv).

    Oxigraph writes every format; the output order is the store's, the same run after run.
    """
    if fmt == "jsonld":
        return _jsonld(kg)
    if fmt not in _OX_FORMATS:
        raise OutputError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    target = _OX_FORMATS[fmt]
    prefixes = dict(sorted(kg.prefixes.items())) if fmt in ("turtle", "xml", "trig") else None
    if target.supports_datasets:
        return kg.store.dump(format=target, prefixes=prefixes)
    return union_store(kg).dump(format=target, from_graph=ox.DefaultGraph(), prefixes=prefixes)


def _jsonld(kg: KnowledgeGraph) -> bytes:
    """JSON-LD with :func:`jsonld_context`: Oxigraph writes expanded JSON-LD, then IRIs under a
    known prefix become compact IRIs (``id:norad``, ``canus:party``) and rdf:type ``@type``."""
    context = jsonld_context(kg.prefixes)["@context"]
    spaces = sorted(context.items(), key=lambda kv: -len(kv[1]))
    cache: dict[str, str] = {}

    def short(iri: str) -> str:
        found = cache.get(iri)
        if found is None:
            found = iri
            for prefix, ns in spaces:
                if iri.startswith(ns) and len(iri) > len(ns) and not iri[len(ns) :].startswith("/"):
                    found = f"{prefix}:{iri[len(ns) :]}"
                    break
            cache[iri] = found
        return found

    dump = union_store(kg).dump(format=ox.RdfFormat.JSON_LD, from_graph=ox.DefaultGraph())
    expanded = json.loads(dump)
    graph = []
    for node in expanded:
        out: dict[str, object] = {}
        for key, values in node.items():
            if key == "@id":
                out["@id"] = short(values)
            elif key == RDF + "type":
                out["@type"] = [short(v["@id"]) for v in values]
            else:
                out[short(key)] = [_short_value(v, short) for v in values]
        graph.append(out)
    graph.sort(key=lambda n: n["@id"])
    document = {"@context": context, "@graph": graph}
    return (json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode(
        "utf-8"
    )


def _short_value(value: dict, short) -> dict:
    if "@id" in value:
        return {"@id": short(value["@id"])}
    if "@type" in value:
        return {"@value": value["@value"], "@type": short(value["@type"])}
    return value


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
        SELECT DISTINCT ?class ?s ?p ?o WHERE {{
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
