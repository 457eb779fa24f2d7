"""Term conversion between pyoxigraph and rdflib, for the places rdflib is needed (pySHACL)."""

from __future__ import annotations

import pyoxigraph as ox
import rdflib

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


_IRIS: dict[str, rdflib.URIRef] = {}


def term_to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> rdflib.term.Node:
    """Convert one Oxigraph term to the equal rdflib term (IRIs are cached: they repeat a lot)."""
    if isinstance(term, ox.NamedNode):
        value = term.value
        iri = _IRIS.get(value)
        if iri is None:
            iri = _IRIS[value] = rdflib.URIRef(value)
        return iri
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return rdflib.Literal(term.value)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(datatype))
    raise TypeError(f"unsupported term {term!r}")


def to_rdflib(triple: ox.Triple) -> tuple[rdflib.term.Node, rdflib.term.Node, rdflib.term.Node]:
    """Convert one Oxigraph triple to an rdflib triple tuple."""
    return (
        term_to_rdflib(triple.subject),
        term_to_rdflib(triple.predicate),
        term_to_rdflib(triple.object),
    )
