"""The ontology: every term is bilingual, defined, placed under a standard term, with its ends."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from conftest import ROOT

ONTOLOGY = ROOT / "ontology" / "canus.ttl"
CANUS = "https://w3id.org/canus/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
OWL = "http://www.w3.org/2002/07/owl#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SCHEMA = "https://schema.org/"
STANDARD = (
    "http://www.w3.org/ns/org#",
    "http://purl.org/dc/terms/",
    SKOS,
    "http://www.w3.org/ns/prov#",
    SCHEMA,
    "http://xmlns.com/foaf/0.1/",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    CANUS,
)
# A term with no standard term above it, and why.
NO_PARENT = {
    "preferred": "a curator's flag on a claim; no standard property means 'preferred claim'"
}

GRAPH = ox.Store()
GRAPH.load(path=ONTOLOGY, format=ox.RdfFormat.TURTLE)


def objects(subject: str, predicate: str) -> list:
    return [
        q.object
        for q in GRAPH.quads_for_pattern(ox.NamedNode(subject), ox.NamedNode(predicate), None)
    ]


def terms(kind: str) -> list[str]:
    return sorted(
        q.subject.value
        for q in GRAPH.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), ox.NamedNode(OWL + kind))
        if q.subject.value.startswith(CANUS)
    )


CLASSES = terms("Class")
PROPERTIES = terms("ObjectProperty") + terms("DatatypeProperty")


def test_ontology_header():
    iri = "https://w3id.org/canus/ontology"
    dc = "http://purl.org/dc/terms/"
    assert objects(iri, OWL + "versionIRI") and objects(iri, OWL + "versionInfo")
    assert objects(iri, dc + "license") and objects(iri, dc + "creator")
    for predicate in (dc + "title", dc + "description"):
        assert {lit.language for lit in objects(iri, predicate)} == {"en", "fr"}


def test_the_classes_of_the_design_are_there():
    expected = {
        "Country",
        "Agency",
        "Command",
        "InternationalOrganization",
        "Coalition",
        "Program",
        "MilitaryOperation",
        "Agreement",
        "Event",
        "Person",
        "Capability",
        "SourceDocument",
        "Signing",
        "Renewal",
        "Observation",
        "Membership",
        "Office",
    }
    assert expected <= {c.removeprefix(CANUS) for c in CLASSES}


@pytest.mark.parametrize("term", CLASSES + PROPERTIES, ids=lambda t: t.removeprefix(CANUS))
def test_term_is_bilingual_and_defined(term):
    assert sorted(lit.language for lit in objects(term, RDFS + "label")) == ["en", "fr"]
    assert sorted(lit.language for lit in objects(term, SKOS + "definition")) == ["en", "fr"]
    assert objects(term, RDFS + "isDefinedBy")


@pytest.mark.parametrize("term", CLASSES, ids=lambda t: t.removeprefix(CANUS))
def test_class_refines_a_standard_term(term):
    parents = [p.value for p in objects(term, RDFS + "subClassOf")]
    assert parents and all(p.startswith(STANDARD) for p in parents)


@pytest.mark.parametrize("term", PROPERTIES, ids=lambda t: t.removeprefix(CANUS))
def test_property_has_parent_domain_and_range(term):
    name = term.removeprefix(CANUS)
    parents = [p.value for p in objects(term, RDFS + "subPropertyOf")]
    assert parents or name in NO_PARENT
    assert objects(term, RDFS + "domain") or objects(term, SCHEMA + "domainIncludes")
    assert objects(term, RDFS + "range") or objects(term, SCHEMA + "rangeIncludes")
