"""SHACL-SPARQL constraints evaluated once per constraint on Oxigraph.

pySHACL re-parses a constraint's query for every focus node (about 30 ms each with rdflib), which
grows with the data. Here each ``sh:sparql`` constraint runs as one query over all its targets:
``$this`` becomes a variable bound by the shape's ``sh:targetClass`` (with subclasses).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph as ox

from canus._errors import InputError
from canus._load import KnowledgeGraph
from canus._namespaces import RDF, RDFS, SH

_SH = {
    name: ox.NamedNode(SH + name)
    for name in (
        "sparql",
        "select",
        "message",
        "targetClass",
        "declare",
        "prefix",
        "namespace",
        "severity",
        "deactivated",
    )
}


@dataclass(frozen=True)
class SparqlResult:
    """One row returned by a SPARQL constraint."""

    focus: str
    value: ox.NamedNode | ox.BlankNode | ox.Literal | None
    shape: str
    constraint: str
    message: str
    severity: str


def without_sparql(shapes: list[ox.Triple]) -> list[ox.Triple]:
    """The shapes minus their ``sh:sparql`` links: what pySHACL gets (:func:`run` does the rest)."""
    return [t for t in shapes if t.predicate != _SH["sparql"]]


def _objects(store: ox.Store, subject, predicate: ox.NamedNode) -> list:
    return [q.object for q in store.quads_for_pattern(subject, predicate, None)]


def run(kg: KnowledgeGraph, shape_triples: list[ox.Triple]) -> list[SparqlResult]:
    """Evaluate every ``sh:sparql`` constraint of ``shape_triples`` against ``kg``."""
    shapes = ox.Store()
    shapes.extend(ox.Quad(t.subject, t.predicate, t.object) for t in shape_triples)
    prefixes = _declared_prefixes(shapes)
    found: list[SparqlResult] = []
    for quad in sorted(
        shapes.quads_for_pattern(None, _SH["sparql"], None),
        key=lambda q: (str(q.subject), str(q.object)),
    ):
        shape, constraint = quad.subject, quad.object
        if any(o.value == "true" for o in _objects(shapes, constraint, _SH["deactivated"])):
            continue
        targets = [t.value for t in _objects(shapes, shape, _SH["targetClass"])]
        selects = _objects(shapes, constraint, _SH["select"])
        if not targets or not selects:
            continue
        messages = _objects(shapes, constraint, _SH["message"])
        message = next(
            (m.value for m in messages if getattr(m, "language", None) == "en"),
            messages[0].value if messages else "does not conform",
        )
        severities = _objects(shapes, shape, _SH["severity"])
        severity = severities[0].value.rsplit("#", 1)[-1] if severities else "Violation"
        text = _bind_targets(selects[0].value, targets)
        try:
            solutions = kg.store.query(text, prefixes=prefixes, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise InputError(
                f"{kg.shapes_path.name}: {constraint}: SPARQL syntax error: {exc}"
            ) from None
        for solution in solutions:
            focus = solution["this"]
            if focus is None:
                continue
            value = solution["value"] if "value" in [v.value for v in solutions.variables] else None
            found.append(
                SparqlResult(focus.value, value, shape.value, constraint.value, message, severity)
            )
    return found


def _declared_prefixes(shapes: ox.Store) -> dict[str, str]:
    prefixes = {"rdf": RDF, "rdfs": RDFS, "sh": SH}
    for quad in shapes.quads_for_pattern(None, _SH["declare"], None):
        names = _objects(shapes, quad.object, _SH["prefix"])
        spaces = _objects(shapes, quad.object, _SH["namespace"])
        if names and spaces:
            prefixes[names[0].value] = spaces[0].value
    return prefixes


def _bind_targets(select: str, targets: list[str]) -> str:
    """Replace ``$this`` by ``?this`` and open the WHERE group with the shape's targets."""
    text = select.replace("$this", "?this")
    classes = " ".join(f"<{c}>" for c in targets)
    target = (
        f"VALUES ?canusTargetClass {{ {classes} }} "
        f"?this <{RDF}type>/<{RDFS}subClassOf>* ?canusTargetClass . "
    )
    match = re.search(r"\bWHERE\s*\{", text, re.I)
    if match is None:
        raise ValueError(f"SPARQL constraint without a WHERE clause: {select[:60]!r}")
    return text[: match.end()] + " " + target + text[match.end() :]
