"""Parameter binding: typed values become RDF terms; the remote form opens the WHERE group."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from canus._errors import ParameterError
from canus._params import guess_term, parse_param_line, to_term
from canus._sparql import with_values

IBET = ox.NamedNode("https://w3id.org/canus/id/ibet")


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        ("iri", "id:ibet", IBET),
        ("iri", "<https://w3id.org/canus/id/ibet>", IBET),
        (
            "integer",
            "+5",
            ox.Literal("5", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
        ),
        (
            "date",
            "2001-12-12",
            ox.Literal(
                "2001-12-12", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")
            ),
        ),
        (
            "year",
            "1958",
            ox.Literal("1958", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYear")),
        ),
        (
            "boolean",
            "TRUE",
            ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")),
        ),
        ("string", 'a "quoted" } value', ox.Literal('a "quoted" } value')),
    ],
)
def test_values_become_terms(kind, value, expected):
    assert to_term("p", kind, value) == expected


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("iri", "ibet"),
        ("iri", "nope:x"),
        ("iri", "https://x/a b"),
        ("integer", "1.5"),
        ("date", "2001-02-30"),
        ("date", "12/12/2001"),
        ("year", "58"),
        ("boolean", "yes"),
        ("decimal", "1,5"),
    ],
)
def test_bad_values_are_refused(kind, value):
    with pytest.raises(ParameterError, match="parameter 'p': expected"):
        to_term("p", kind, value)


def test_param_header_line():
    param = parse_param_line("program iri default=https://w3id.org/canus/id/ibet The program")
    assert (param.name, param.type, param.default, param.description) == (
        "program",
        "iri",
        "https://w3id.org/canus/id/ibet",
        "The program",
    )
    with pytest.raises(ValueError, match="unknown type"):
        parse_param_line("x colour")


def test_ad_hoc_values_are_typed_by_form():
    assert guess_term("x", "id:ibet") == IBET
    assert guess_term("x", "42").datatype.value.endswith("#integer")
    assert guess_term("x", "free text") == ox.Literal("free text")


@pytest.mark.parametrize(
    "text",
    [
        "SELECT ?x WHERE { ?x ?p ?o }",
        "SELECT * { ?x ?p ?o }",
        '# a comment with a { brace\nSELECT ?x WHERE { ?x <http://x/p> "a } b" }',
        "SELECT ?x WHERE { ?x ?p ?o FILTER(?o < 3 && ?o > 1) }",
        "CONSTRUCT { ?x <http://x/q> ?o } WHERE { ?x ?p ?o }",
        "CONSTRUCT { ?x <http://x/q> ?o } { ?x ?p ?o }",
        "ASK { ?x ?p ?o }",
        "SELECT ?x WHERE { { SELECT ?x WHERE { ?x ?p ?o } } }",
        'SELECT ?x WHERE { ?x ?p """multi\nline { text""" }',
        "PREFIX where: <http://x/>\nSELECT ?x WHERE { ?x where:p ?o }",
    ],
)
def test_remote_binding_opens_the_where_group_and_parses(text):
    bound = {"x": IBET}
    rewritten = with_values(text, bound)
    ox.Store().query(rewritten)  # raises SyntaxError if the rewrite broke the query
    where = rewritten.index("VALUES (?x) { (<https://w3id.org/canus/id/ibet>) }")
    # the VALUES block is inside the outermost WHERE group, before any nested group
    assert rewritten[:where].rstrip().endswith("{")
    assert "{ VALUES" in rewritten
