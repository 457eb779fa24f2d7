"""The release's JSON-LD: a context of plain terms read from the data, and a compaction that
loses nothing, whatever the values of a property look like."""

from __future__ import annotations

import json

import pyoxigraph as ox

import canus
from canus._export import union_store
from canus.site._jsonld import build_context, graph_document

DATA = """@prefix canus: <https://w3id.org/canus/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix id: <https://w3id.org/canus/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

id:one a canus:Signing ;
    rdfs:label "One"@en , "Un"@fr ;
    canus:date "1958-05-12"^^xsd:date ;
    dcterms:identifier "A-1" ;
    <http://example.org/vocab#label> "not rdfs:label" ;
    <http://example.org/vocab#count> 3 .

id:two a canus:Signing ;
    rdfs:label "Two"@en ;
    canus:date "1958"^^xsd:gYear ;
    dcterms:identifier "B-2" .
"""


def _load(mini_root) -> canus.KnowledgeGraph:
    return canus.load(mini_root(("things.ttl", DATA)))


def test_context_coerces_what_is_uniform_and_leaves_mixed_values_whole(mini_root):
    context = build_context(_load(mini_root))
    assert context["label"] == {"@id": "rdfs:label", "@container": "@language"}
    assert context["identifier"] == {"@id": "dcterms:identifier", "@container": "@set"}
    assert context["date"] == {"@id": "canus:date", "@container": "@set"}  # xsd:date and gYear
    assert context["Signing"] == "canus:Signing"
    assert not any("example.org" in json.dumps(v) for v in context.values())


def test_document_is_plain_and_reads_back_as_the_same_graph(mini_root):
    kg = _load(mini_root)
    document = graph_document(kg, build_context(kg))
    nodes = {n["@id"]: n for n in json.loads(document)["@graph"]}
    one = nodes["id:one"]
    assert one["label"] == {"en": "One", "fr": "Un"}
    assert one["identifier"] == ["A-1"]
    assert one["date"] == [{"@value": "1958-05-12", "@type": "xsd:date"}]
    assert one["http://example.org/vocab#label"] == ["not rdfs:label"]
    assert one["@type"] == ["Signing"]
    parsed = {q.triple for q in ox.parse(document, format=ox.RdfFormat.JSON_LD)}
    assert parsed == {q.triple for q in union_store(kg)}
