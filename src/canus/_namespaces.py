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


def compact(iri: str, prefixes: dict[str, str] | None = None) -> str:
    """Return ``prefix:local`` for an IRI under a known prefix, else ``<iri>``."""
    best = ""
    best_prefix = ""
    for prefix, ns in (prefixes or PREFIXES).items():
        if iri.startswith(ns) and len(ns) > len(best):
            local = iri[len(ns) :]
            if local and all(c.isalnum() or c in "-_." for c in local) and not local.endswith("."):
                best, best_prefix = ns, prefix
    if best:
        return f"{best_prefix}:{iri[len(best) :]}"
    return f"<{iri}>"


def expand(name: str, prefixes: dict[str, str] | None = None) -> str | None:
    """Expand ``prefix:local`` with the known prefixes; None when the prefix is unknown."""
    prefix, sep, local = name.partition(":")
    if not sep:
        return None
    ns = (prefixes or PREFIXES).get(prefix)
    return None if ns is None else ns + local
