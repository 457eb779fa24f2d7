"""Export the graph in every RDF format and as CSV tables, streamed to where it goes."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from itertools import chain, filterfalse
from operator import attrgetter
from typing import BinaryIO

import pyoxigraph as ox

from canus._errors import OutputError
from canus._formats import EXPORT_FORMATS as FORMATS
from canus._load import KnowledgeGraph
from canus._namespaces import ONTOLOGY, PREFIXES, RDF, RDFS, SKOS, THING_PATTERN, compact
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


def union_triples(kg: KnowledgeGraph) -> Iterator[ox.Triple]:
    """Every triple of the union of the files' graphs once, graph after graph, streamed from the
    store: no copy of the graph, and no Python call per triple (``map`` and ``chain`` run in C).

    A triple stated in several files is given with the first of them. Such triples are found
    by one SPARQL join from the graphs of every file but the largest (each shared triple is in
    at least one of those), and only where there are some is a graph filtered.
    """
    store = kg.store
    graphs = [ox.NamedNode(f.graph) for f in kg.files]
    listed = set(graphs)
    graphs += sorted((g for g in store.named_graphs() if g not in listed), key=str)
    order = {g: i for i, g in enumerate(graphs)}
    skip: dict[object, set[ox.Triple]] = defaultdict(set)
    if len(graphs) > 1:
        sizes = {ox.NamedNode(f.graph): f.size for f in kg.files}
        largest = max(graphs, key=lambda g: sizes.get(g, 0))
        others = " ".join(str(g) for g in graphs if g != largest)
        shared = (
            "SELECT ?s ?p ?o ?g ?h WHERE { VALUES ?g { " + others + " } "
            "GRAPH ?g { ?s ?p ?o } GRAPH ?h { ?s ?p ?o } FILTER(?g != ?h) }"
        )
        holders: dict[ox.Triple, set] = defaultdict(set)
        for row in store.query(shared):
            holders[ox.Triple(row["s"], row["p"], row["o"])].update((row["g"], row["h"]))
        for triple, held in holders.items():
            for graph in sorted(held, key=order.__getitem__)[1:]:
                skip[graph].add(triple)
    parts = []
    for graph in graphs:
        triples = map(_TRIPLE, store.quads_for_pattern(None, None, None, graph))
        parts.append(filterfalse(skip[graph].__contains__, triples) if graph in skip else triples)
    return chain.from_iterable(parts)


_TRIPLE = attrgetter("triple")


def serialize(kg: KnowledgeGraph, fmt: str) -> bytes:
    """The graph in ``fmt`` (one of the RDF formats of :data:`FORMATS`, not csv) as bytes."""
    buffer = io.BytesIO()
    write_rdf(kg, fmt, buffer)
    return buffer.getvalue()


def write_rdf(kg: KnowledgeGraph, fmt: str, out: BinaryIO) -> None:
    """Stream the graph in ``fmt`` to ``out``; Oxigraph writes every format but JSON-LD's
    compaction, in the store's order, the same run after run."""
    if fmt == "jsonld":
        write_jsonld(kg, out)
        return
    if fmt not in _OX_FORMATS:
        raise OutputError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    target = _OX_FORMATS[fmt]
    prefixes = dict(sorted(kg.prefixes.items())) if fmt in ("turtle", "xml", "trig") else None
    if target.supports_datasets:
        kg.store.dump(out, format=target, prefixes=prefixes)
    else:  # Oxigraph's serializer over the union, written to ``out`` as it goes
        ox.serialize(union_triples(kg), out, format=target, prefixes=prefixes)


def write_jsonld(kg: KnowledgeGraph, out: BinaryIO) -> None:
    """JSON-LD with :func:`jsonld_context`, streamed: Oxigraph writes the union as expanded
    JSON-LD, and on its way to ``out`` every IRI under a known prefix, as a key or the value
    of ``@id`` or ``@type``, becomes a compact IRI (``id:norad``, ``canus:party``); a literal's
    ``@value`` is never touched. The graph is the same as the expanded one's."""
    context = jsonld_context(kg.prefixes)["@context"]
    head = json.dumps({"@context": context}, ensure_ascii=False, indent=1, sort_keys=True)
    out.write(head[: head.rindex("}")].rstrip().encode("utf-8") + b',\n "@graph": ')
    compactor = _JsonLdCompactor(out, context)
    ox.serialize(union_triples(kg), compactor, format=ox.RdfFormat.JSON_LD)
    compactor.close()
    out.write(b"\n}\n")


class _JsonLdCompactor:
    """A binary stream over ``out`` that writes IRIs under the context's prefixes as compact
    IRIs. Oxigraph's JSON-LD is compact JSON (no blanks), so an IRI that is a key or an
    ``@id`` / ``@type`` value is ``"`` then the IRI: every ``"`` + namespace is one, except
    after ``"@value":`` (a literal) or inside a string (an escaped ``\\"``), which are fenced
    off first with a byte JSON never holds raw (``\\x00``) and restored after. An IRI whose
    rest starts with ``//`` is left whole (JSON-LD would read ``p://x`` as an absolute IRI).
    Work is done 256 kB at a time, cut before a ``{`` (which no IRI holds), so no IRI is
    split across pieces."""

    _VALUE = b'"@value":"'
    _QUOTE = b'\\"'
    _PIECE = 1 << 18

    def __init__(self, out: BinaryIO, context: dict[str, str]) -> None:
        self._out = out
        self._pending: list[bytes] = []
        self._size = 0
        # a prefix works in JSON-LD 1.1 when its IRI ends in a gen-delim; longest first
        pairs = ((ns.encode("utf-8"), p.encode("utf-8")) for p, ns in context.items())
        usable = sorted(
            ((ns, p) for ns, p in pairs if ns[-1:] in b":/?#[]@" and p != b"_"),
            key=lambda item: -len(item[0]),
        )
        self._table = {b'"' + ns: b'"' + p + b":" for ns, p in usable}
        web = [re.escape(ns[4:]) for ns, _ in usable if ns.startswith(b"http")]
        rest = [re.escape(ns) for ns, _ in usable if not ns.startswith(b"http")]
        branches = ([b"http(?:" + b"|".join(web) + b")"] if web else []) + rest
        self._iri = re.compile(b'("(?:' + b"|".join(branches) + b"))(?!//)") if branches else None

    def write(self, data: bytes) -> int:
        self._pending.append(bytes(data))
        self._size += len(data)
        if self._size >= self._PIECE:
            self._flush_upto_last_brace()
        return len(data)

    def flush(self) -> None:
        pass

    def _flush_upto_last_brace(self) -> None:
        data = b"".join(self._pending)
        cut = data.rfind(b"{")
        if cut <= 0:
            self._pending, self._size = [data], len(data)
            return
        self._pending, self._size = [data[cut:]], len(data) - cut
        self._out.write(self._compact(data[:cut]))

    def _compact(self, data: bytes) -> bytes:
        if self._iri is None:
            return data
        fenced = data.replace(self._VALUE, self._VALUE + b"\x00").replace(
            self._QUOTE, self._QUOTE + b"\x00"
        )
        parts = self._iri.split(fenced)
        return b"".join(map(self._table.get, parts, parts)).replace(b'"\x00', b'"')

    def close(self) -> None:
        data = b"".join(self._pending)
        self._pending, self._size = [], 0
        self._out.write(self._compact(data))


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
    since = getattr(kg, "started", None)  # the load's start: a long run shows the bar at once
    with (
        open_output(output) as handle,
        ProgressWriter(handle, enabled=progress, since=since) as out,
    ):
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
