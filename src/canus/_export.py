"""Export the graph in every RDF format and as CSV tables, streamed to where it goes."""

from __future__ import annotations

import csv
import io
import json
import os
from collections import defaultdict
from collections.abc import Callable
from typing import BinaryIO

import pyoxigraph as ox

from canus._errors import OutputError
from canus._formats import EXPORT_FORMATS as FORMATS
from canus._load import KnowledgeGraph
from canus._namespaces import ONTOLOGY, PREFIXES, RDF, RDFS, SKOS, THING_PATTERN, compact, shorten
from canus._output import is_stdout, open_output, write_folder
from canus._progress import ProgressWriter

_OX_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "xml": ox.RdfFormat.RDF_XML,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
}
BOM = b"\xef\xbb\xbf"


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
    """The graph in ``fmt`` (one of the RDF formats of :data:`FORMATS`, not csv) as bytes."""
    buffer = io.BytesIO()
    write_rdf(kg, fmt, buffer)
    return buffer.getvalue()


def write_rdf(kg: KnowledgeGraph, fmt: str, out: BinaryIO) -> None:
    """Stream the graph in ``fmt`` to ``out``; Oxigraph writes every format but JSON-LD's
    compaction, in the store's order, the same run after run."""
    if fmt == "jsonld":
        out.write(_jsonld(kg))
        return
    if fmt not in _OX_FORMATS:
        raise OutputError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    target = _OX_FORMATS[fmt]
    prefixes = dict(sorted(kg.prefixes.items())) if fmt in ("turtle", "xml", "trig") else None
    if target.supports_datasets:
        kg.store.dump(out, format=target, prefixes=prefixes)
    else:
        union_store(kg).dump(out, format=target, from_graph=ox.DefaultGraph(), prefixes=prefixes)


def _jsonld(kg: KnowledgeGraph) -> bytes:
    """JSON-LD with :func:`jsonld_context`: Oxigraph writes expanded JSON-LD, then IRIs under a
    known prefix become compact IRIs (``id:norad``, ``canus:party``) and rdf:type ``@type``."""
    context = jsonld_context(kg.prefixes)["@context"]
    cache: dict[str, str] = {}

    def short(iri: str) -> str:
        found = cache.get(iri)
        if found is None:
            found = cache[iri] = shorten(iri, context) or iri
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
    kg: KnowledgeGraph,
    fmt: str,
    output: str | os.PathLike[str] | None = None,
    *,
    force: bool = False,
    bom: bool = False,
    progress: bool = False,
) -> bytes | None:
    """Export ``kg`` as ``fmt`` to ``output`` and return None, or return the bytes if no output.

    ``output`` ``-`` is stdout; a file is replaced atomically, a symlink's target or a device
    written through (see :mod:`canus._output`). ``csv`` writes a folder with one table per class
    (``force`` to write into a folder that holds other files; ``bom`` starts each table with a
    UTF-8 byte order mark for spreadsheets). ``progress`` shows bytes written on a terminal.
    """
    if fmt not in FORMATS:
        raise OutputError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    if fmt == "csv":
        if is_stdout(output):
            raise OutputError("csv export writes one table per class: give --output FOLDER")
        tables = csv_tables(kg, bom=bom)
        writers: dict[str, Callable[[BinaryIO], None]] = {
            name: (lambda handle, data=data: handle.write(data)) for name, data in tables.items()
        }
        write_folder(output, writers, kind="csv", force=force)  # type: ignore[arg-type]
        return None
    if output is None:
        return serialize(kg, fmt)
    with open_output(output) as handle, ProgressWriter(handle, enabled=progress) as out:
        write_rdf(kg, fmt, out)
    return None


#: Tables beyond the canus classes: SKOS concepts (themes, missions) and their schemes.
_SKOS_TABLES = {SKOS + "Concept": "Concept.csv", SKOS + "ConceptScheme": "ConceptScheme.csv"}


def csv_tables(kg: KnowledgeGraph, *, bom: bool = False) -> dict[str, bytes]:
    """One CSV per canus class and one for SKOS concepts: ``iri`` (compact, like the values),
    ``label_en``, ``label_fr``, then a column per property (several values joined with `` | ``),
    things sorted by IRI; plus ``index.csv``. Lines end in CRLF (RFC 4180, like query CSV)."""
    concepts = " ".join(f"<{c}>" for c in _SKOS_TABLES)
    query = f"""
        SELECT DISTINCT ?class ?s ?p ?o WHERE {{
          {{ {THING_PATTERN} }}
          UNION
          {{ ?s a ?class . VALUES ?class {{ {concepts} }} }}
          ?s ?p ?o .
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
    start = BOM if bom else b""
    tables: dict[str, bytes] = {}
    index = io.StringIO()
    index_writer = csv.writer(index, lineterminator="\r\n")
    index_writer.writerow(["class", "file", "rows"])
    for cls in sorted(by_class, key=lambda c: compact(c, kg.prefixes)):
        things = by_class[cls]
        columns = sorted({c for props in things.values() for c in props} - {"label_en", "label_fr"})
        header = ["iri", "label_en", "label_fr", *columns]
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(header)
        for subject in sorted(things):
            props = things[subject]
            writer.writerow(
                [compact(subject, kg.prefixes)]
                + [" | ".join(sorted(props.get(c, []))) for c in header[1:]]
            )
        name = _SKOS_TABLES.get(cls) or f"{cls[len(ONTOLOGY) :]}.csv"
        tables[name] = start + buffer.getvalue().encode("utf-8")
        index_writer.writerow([compact(cls, kg.prefixes), name, len(things)])
    tables["index.csv"] = start + index.getvalue().encode("utf-8")
    return tables
