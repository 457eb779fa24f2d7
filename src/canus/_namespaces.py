"""The IRIs canus mints and the prefixes it prints with."""

from __future__ import annotations

ONTOLOGY = "https://w3id.org/canus/ontology#"
ONTOLOGY_IRI = "https://w3id.org/canus/ontology"
ID = "https://w3id.org/canus/id/"
SHAPES = "https://w3id.org/canus/shapes#"
GRAPH = "https://w3id.org/canus/graph/"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
SH = "http://www.w3.org/ns/shacl#"

#: Prefixes used when canus prints or serializes IRIs; also declared in every saved query.
PREFIXES: dict[str, str] = {
    "canus": ONTOLOGY,
    "id": ID,
    "shape": SHAPES,
    "dcterms": DCTERMS,
    "org": "http://www.w3.org/ns/org#",
    "owl": OWL,
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": RDF,
    "rdfs": RDFS,
    "schema": "https://schema.org/",
    "sh": SH,
    "skos": SKOS,
    "time": "http://www.w3.org/2006/time#",
    "xsd": XSD,
    "foaf": "http://xmlns.com/foaf/0.1/",
}


#: What canus calls a thing: a subject under ``id:`` typed with a canus class. SPARQL, with
#: ``?s`` the thing and ``?class`` its class; stats, CSV tables and the rest share it.
THING_PATTERN = f"""?s a ?class .
  FILTER(STRSTARTS(STR(?s), "{ID}") && STRSTARTS(STR(?class), "{ONTOLOGY}"))"""


def shorten(iri: str, prefixes: dict[str, str] | None = None) -> str | None:
    """``prefix:local`` for an IRI under a known prefix (longest namespace wins), else None.

    The one IRI compaction of canus: tables, CSV, JSON-LD and reports all use it. The local
    part must be letters, digits, ``-``, ``_`` or ``.`` (not ending in ``.``), so the result is
    a valid prefixed name everywhere.
    """
    best = ""
    best_prefix = ""
    for prefix, ns in (prefixes or PREFIXES).items():
        if iri.startswith(ns) and len(ns) > len(best):
            local = iri[len(ns) :]
            if local and all(c.isalnum() or c in "-_." for c in local) and not local.endswith("."):
                best, best_prefix = ns, prefix
    return f"{best_prefix}:{iri[len(best) :]}" if best else None


def compact(iri: str, prefixes: dict[str, str] | None = None) -> str:
    """Return ``prefix:local`` for an IRI under a known prefix, else ``<iri>``."""
    return shorten(iri, prefixes) or f"<{iri}>"


def expand(name: str, prefixes: dict[str, str] | None = None) -> str | None:
    """Expand ``prefix:local`` with the known prefixes; None when the prefix is unknown."""
    if name.startswith("<") and name.endswith(">"):
        return name[1:-1]
    prefix, sep, local = name.partition(":")
    if not sep:
        return None
    ns = (prefixes or PREFIXES).get(prefix)
    return None if ns is None else ns + local
