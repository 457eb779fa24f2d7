"""The release described in VoID and DCAT: what it is, in both languages, and where each file is.

Written as Turtle from sorted triples with named (never blank) nodes, so it is byte-stable.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from canus._load import KnowledgeGraph
from canus._namespaces import DCTERMS, ONTOLOGY, RDF, XSD
from canus._stats import stats
from canus.site._release import MEDIA_TYPES

VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
FOAF = "http://xmlns.com/foaf/0.1/"
DATASET = "https://w3id.org/canus/dataset"
#: Where the release files are downloaded from: a w3id.org redirect to the published build.
DOWNLOAD_BASE = "https://w3id.org/canus/dist/"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
PUBLISHER = "https://w3id.org/canus"
SPARQL_ENDPOINT = "http://127.0.0.1:8000/sparql"

TITLE = {
    "en": "canus: Canada–United States security and defence cooperation",
    "fr": "canus : coopération canado-américaine en matière de sécurité et de défense",
}
DESCRIPTION = {
    "en": "An open knowledge graph of the agencies, commands, agreements, programs, operations, "
    "events and people of Canada–United States security and defence cooperation, in English "
    "and French, every fact with its source.",
    "fr": "Un graphe de connaissances ouvert des organismes, commandements, accords, programmes, "
    "opérations, événements et personnes de la coopération canado-américaine en matière de "
    "sécurité et de défense, en anglais et en français, chaque fait avec sa source.",
}

KEYWORDS = {
    "en": ("Canada", "United States", "security", "defence", "NORAD"),
    "fr": ("Canada", "États-Unis", "sécurité", "défense", "NORAD"),
}


@dataclass(frozen=True)
class Release:
    """What names a release: its version and its date (from the CHANGELOG)."""

    version: str
    date: str


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _lit(value: object, datatype: str | None = None, lang: str | None = None) -> ox.Literal:
    if lang:
        return ox.Literal(str(value), language=lang)
    if datatype:
        return ox.Literal(str(value), datatype=_n(datatype))
    return ox.Literal(str(value))


def describe(kg: KnowledgeGraph, release: Release, files: dict[str, bytes]) -> bytes:
    """``void.ttl``: the dataset (VoID and DCAT), its class partitions and a distribution per
    file in ``files`` (relative paths), each with its download link, media type and size."""
    figures = stats(kg)
    dataset = _n(DATASET)
    triples: list[ox.Triple] = []

    def add(s: ox.NamedNode, p: str, o: ox.NamedNode | ox.Literal) -> None:
        triples.append(ox.Triple(s, _n(p), o))

    for kind in (VOID + "Dataset", DCAT + "Dataset"):
        add(dataset, RDF + "type", _n(kind))
    for lang in ("en", "fr"):
        add(dataset, DCTERMS + "title", _lit(TITLE[lang], lang=lang))
        add(dataset, DCTERMS + "description", _lit(DESCRIPTION[lang], lang=lang))
    add(dataset, DCTERMS + "license", _n(LICENSE))
    add(dataset, DCTERMS + "publisher", _n(PUBLISHER))
    add(_n(PUBLISHER), RDF + "type", _n(FOAF + "Organization"))
    add(_n(PUBLISHER), FOAF + "name", _lit("canus contributors"))
    add(dataset, DCTERMS + "issued", _lit(release.date, XSD + "date"))
    add(dataset, DCAT + "version", _lit(release.version))
    add(dataset, "http://www.w3.org/2002/07/owl#versionInfo", _lit(release.version))
    add(dataset, DCAT + "landingPage", _n("https://w3id.org/canus/"))
    add(dataset, VOID + "uriSpace", _lit("https://w3id.org/canus/id/"))
    add(dataset, VOID + "vocabulary", _n(ONTOLOGY))
    add(dataset, VOID + "triples", _lit(figures.triples, XSD + "integer"))
    add(dataset, VOID + "entities", _lit(sum(figures.by_class.values()), XSD + "integer"))
    add(dataset, VOID + "classes", _lit(len(figures.by_class), XSD + "integer"))
    add(dataset, VOID + "sparqlEndpoint", _n(SPARQL_ENDPOINT))
    add(dataset, VOID + "dataDump", _n(DOWNLOAD_BASE + "canus.nt"))
    for lang, words in KEYWORDS.items():
        for word in words:
            add(dataset, DCAT + "keyword", _lit(word, lang=lang))
    for cls, count in figures.by_class.items():
        local = cls.split(":", 1)[1]
        part = _n(f"{DATASET}#class-{local}")
        add(dataset, VOID + "classPartition", part)
        add(part, VOID + "class", _n(kg.expand(cls)))
        add(part, VOID + "entities", _lit(count, XSD + "integer"))

    service = _n(DATASET + "#sparql")
    add(dataset, DCAT + "service", service)
    add(service, RDF + "type", _n(DCAT + "DataService"))
    add(service, DCAT + "endpointURL", _n(SPARQL_ENDPOINT))
    add(service, DCAT + "servesDataset", dataset)
    add(
        service,
        DCTERMS + "description",
        _lit("The SPARQL 1.1 endpoint of `canus serve` (run it to query locally).", lang="en"),
    )
    add(
        service,
        DCTERMS + "description",
        _lit(
            "Le point d'accès SPARQL 1.1 de `canus serve` (lancez-le pour interroger).", lang="fr"
        ),
    )

    for path in sorted(files):
        suffix = "." + path.rsplit(".", 1)[-1] if "." in path.rsplit("/", 1)[-1] else ""
        dist = _n(f"{DATASET}#file-{path}")
        add(dataset, DCAT + "distribution", dist)
        add(dist, RDF + "type", _n(DCAT + "Distribution"))
        add(dist, DCTERMS + "title", _lit(path))
        add(dist, DCAT + "downloadURL", _n(DOWNLOAD_BASE + path))
        add(dist, DCAT + "byteSize", _lit(len(files[path]), XSD + "integer"))
        add(dist, DCTERMS + "license", _n(LICENSE))
        if suffix in MEDIA_TYPES:
            add(
                dist,
                DCAT + "mediaType",
                _n("https://www.iana.org/assignments/media-types/" + MEDIA_TYPES[suffix]),
            )

    prefixes = {
        "dcat": DCAT,
        "dcterms": DCTERMS,
        "foaf": FOAF,
        "owl": "http://www.w3.org/2002/07/owl#",
        "rdf": RDF,
        "void": VOID,
        "xsd": XSD,
    }
    unique = sorted(set(triples), key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    return ox.serialize(unique, format=ox.RdfFormat.TURTLE, prefixes=prefixes) or b""
