"""Check the graph against the SHACL shapes and report each problem with its file and line."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from canus import _shacl_sparql as sparql_constraints
from canus._errors import InputError
from canus._load import KnowledgeGraph, parse_turtle_file
from canus._namespaces import RDF, RDFS, SH

RDF_TYPE = RDF + "type"
RDFS_SUBCLASS = RDFS + "subClassOf"

if TYPE_CHECKING:  # pragma: no cover
    import rdflib

SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


@dataclass(frozen=True)
class Violation:
    """One SHACL result, located: the thing, the property, the rule, where the thing is defined."""

    focus: str
    label: str | None
    path: str | None
    value: str | None
    shape: str
    component: str
    severity: str
    message: str
    file: str | None
    line: int | None

    def render(self, compact) -> str:
        """One line: ``file:line: id:x (Label): property: shape (component): message``."""
        where = f"{self.file}:{self.line}" if self.file and self.line else (self.file or "<graph>")
        thing = compact(self.focus) + (f" ({self.label})" if self.label else "")
        parts = [where, thing]
        if self.severity != "Violation":
            parts.insert(1, self.severity.lower())
        if self.path:
            parts.append(self.path)
        parts.append(f"{self.shape} ({self.component})")
        text = ": ".join(parts) + ": " + self.message
        if self.value is not None:
            text += f" [value: {self.value}]"
        return text


@dataclass
class Report:
    """The outcome of :func:`validate`: ``conforms`` is False when any Violation was found."""

    results: list[Violation]
    things: int
    compact_names: dict[str, str] = field(default_factory=dict, repr=False)
    graph: rdflib.Graph | None = field(default=None, repr=False)

    @property
    def violations(self) -> list[Violation]:
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def warnings(self) -> list[Violation]:
        return [r for r in self.results if r.severity != "Violation"]

    @property
    def conforms(self) -> bool:
        return not self.violations

    def _compact(self, iri: str) -> str:
        return self.compact_names.get(iri, f"<{iri}>")

    def summary(self) -> str:
        """``2 violations, 1 warning in 1 file`` or ``valid: N things, 0 violations``."""
        files = {r.file for r in self.violations if r.file}
        v, w = len(self.violations), len(self.warnings)
        warn = f", {w} warning{'s' if w != 1 else ''}" if w else ""
        if not v:
            return f"valid: {self.things} things, 0 violations{warn}"
        return (
            f"{v} violation{'s' if v != 1 else ''}{warn} in {len(files)} file"
            f"{'s' if len(files) != 1 else ''}"
        )

    def render(self, fmt: str = "text") -> str:
        """The report as ``text`` (one line per problem, then a summary), ``json`` or ``turtle``."""
        if fmt == "text":
            lines = [r.render(self._compact) for r in self.results]
            return "\n".join([*lines, self.summary()]) + "\n"
        if fmt == "json":
            payload = {
                "conforms": self.conforms,
                "things": self.things,
                "violations": len(self.violations),
                "warnings": len(self.warnings),
                "results": [asdict(r) for r in self.results],
            }
            return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
        if fmt == "turtle":
            if self.graph is None:
                return ""
            return self.graph.serialize(format="turtle")
        raise ValueError(f"unknown report format {fmt!r}")


def validate(kg: KnowledgeGraph, shapes: str | None = None) -> Report:
    """Validate ``kg`` with pySHACL against ``ontology/shapes.ttl`` (or ``shapes``).

    pySHACL runs over an in-memory rdflib copy of the union graph (much faster than over the
    Oxigraph store); no OWL/RDFS inference is done, the shapes say what they need.
    """
    import logging

    import pyshacl
    import rdflib

    # An ill-typed literal ("1958-02-30"^^xsd:date) is a violation the shapes report; rdflib would
    # also log a traceback for it on stderr.
    logging.getLogger("rdflib.term").setLevel(logging.CRITICAL)

    from canus._convert import to_rdflib

    shapes_path = kg.shapes_path if shapes is None else Path(shapes)
    if not shapes_path.is_file():
        raise InputError(f"{shapes_path}: shapes file missing")
    shape_triples = parse_turtle_file(shapes_path, kg.root)
    shapes_graph = rdflib.Graph()
    for triple in sparql_constraints.without_sparql(shape_triples):
        shapes_graph.add(to_rdflib(triple))
    data = kg.to_rdflib_graph(predicates=_predicates_used(shape_triples))
    _, results_graph, _ = pyshacl.validate(
        data,
        shacl_graph=shapes_graph,
        inference="none",
        advanced=True,
        allow_warnings=True,
        abort_on_first=False,
        inplace=True,  # the data graph is our own throw-away copy: no need to clone it again
    )
    results = _read_results(kg, results_graph)
    sparql_results = sparql_constraints.run(kg, shape_triples)
    results += [_from_sparql(kg, r) for r in sparql_results]
    results.sort(key=_order)
    _add_to_report_graph(
        results_graph, sparql_results, conforms=not any(r.severity == "Violation" for r in results)
    )
    names = {r.focus: kg.compact(r.focus) for r in results}
    return Report(results, _count_things(kg), names, results_graph)


def _predicates_used(shape_triples: list[ox.Triple]) -> set[str]:
    """The predicates core shapes look at: pySHACL gets only those triples (and the class tree)."""
    looked_at = {SH + "path", SH + "targetSubjectsOf", SH + "targetObjectsOf", SH + "inversePath"}
    used = {
        t.object.value
        for t in shape_triples
        if t.predicate.value in looked_at and isinstance(t.object, ox.NamedNode)
    }
    return used | {RDF_TYPE, RDFS_SUBCLASS}


def _add_to_report_graph(graph: rdflib.Graph, found: list, conforms: bool) -> None:
    """Complete pySHACL's report graph with the SPARQL constraint results run on Oxigraph."""
    import rdflib

    from canus._convert import term_to_rdflib

    sh = rdflib.Namespace(SH)
    report = graph.value(predicate=rdflib.RDF.type, object=sh.ValidationReport)
    if report is None:
        report = rdflib.BNode()
        graph.add((report, rdflib.RDF.type, sh.ValidationReport))
    graph.set((report, sh.conforms, rdflib.Literal(conforms)))
    for r in found:
        node = rdflib.BNode()
        graph.add((report, sh.result, node))
        graph.add((node, rdflib.RDF.type, sh.ValidationResult))
        graph.add((node, sh.focusNode, rdflib.URIRef(r.focus)))
        graph.add((node, sh.sourceShape, rdflib.URIRef(r.shape)))
        graph.add((node, sh.sourceConstraint, rdflib.URIRef(r.constraint)))
        graph.add((node, sh.sourceConstraintComponent, sh.SPARQLConstraintComponent))
        graph.add((node, sh.resultSeverity, sh[r.severity]))
        graph.add((node, sh.resultMessage, rdflib.Literal(r.message, lang="en")))
        if r.value is not None:
            graph.add((node, sh.value, term_to_rdflib(r.value)))


def _count_things(kg: KnowledgeGraph) -> int:
    """Things as ``canus stats`` counts them: typed with a canus class, sources apart."""
    query = (
        "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s a ?c } "
        "FILTER(STRSTARTS(STR(?s), 'https://w3id.org/canus/id/') "
        "&& STRSTARTS(STR(?c), 'https://w3id.org/canus/ontology#') "
        "&& ?c != <https://w3id.org/canus/ontology#SourceDocument>) }"
    )
    for solution in kg.store.query(query):
        return int(solution["n"].value)
    return 0


def _read_results(kg: KnowledgeGraph, results: rdflib.Graph) -> list[Violation]:
    import rdflib

    sh = rdflib.Namespace(SH)
    found: list[Violation] = []
    seen: set[tuple] = set()
    # Only the report's own results: nested sh:detail results repeat what their parent says.
    for node in results.objects(None, sh.result):
        focus = results.value(node, sh.focusNode)
        path = results.value(node, sh.resultPath)
        value = results.value(node, sh.value)
        source_shape = results.value(node, sh.sourceShape)
        component = results.value(node, sh.sourceConstraintComponent)
        severity = results.value(node, sh.resultSeverity)
        messages = list(results.objects(node, sh.resultMessage))
        message = _pick_message(messages) or "does not conform"
        focus_iri = str(focus)
        where = kg.locate(focus_iri)
        file, line = where if where else (kg.defining_file(focus_iri), None)
        item = Violation(
            focus=focus_iri,
            label=kg.label(focus_iri, "en"),
            path=_render_path(kg, path, results),
            value=_render_term(kg, value) if value is not None and value != focus else None,
            shape=_render_term(kg, source_shape) if source_shape is not None else "?",
            component=_component_name(component),
            severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
            message=message,
            file=file,
            line=line,
        )
        key = (item.focus, item.path, item.value, item.shape, item.component)
        if key in seen:
            continue
        seen.add(key)
        found.append(item)
    return found


def _order(r: Violation) -> tuple:
    return (
        SEVERITY_ORDER.get(r.severity, 3),
        r.file or "~",
        r.line or 0,
        r.focus,
        r.path or "",
        r.shape,
        r.value or "",
    )


def _from_sparql(kg: KnowledgeGraph, r: sparql_constraints.SparqlResult) -> Violation:
    where = kg.locate(r.focus)
    file, line = where if where else (kg.defining_file(r.focus), None)
    value = None
    if r.value is not None:
        value = kg.compact(r.value.value) if isinstance(r.value, ox.NamedNode) else str(r.value)
    return Violation(
        focus=r.focus,
        label=kg.label(r.focus, "en"),
        path=None,
        value=value,
        shape=kg.compact(r.constraint),
        component="sparql",
        severity=r.severity,
        message=r.message,
        file=file,
        line=line,
    )


def _pick_message(messages: list) -> str | None:
    for msg in messages:
        if getattr(msg, "language", None) == "en":
            return str(msg)
    return str(messages[0]) if messages else None


def _component_name(component) -> str:
    if component is None:
        return "?"
    name = str(component).rsplit("#", 1)[-1]
    name = name.removesuffix("ConstraintComponent")
    return name[:1].lower() + name[1:]


def _render_term(kg: KnowledgeGraph, term) -> str:
    import rdflib

    if isinstance(term, rdflib.URIRef):
        return kg.compact(str(term))
    if isinstance(term, rdflib.Literal):
        return term.n3()
    return "[]"


def _render_path(kg: KnowledgeGraph, path, results) -> str | None:
    """A SHACL path as text: ``dcterms:source``, or ``^canus:agreement`` for an inverse path."""
    import rdflib

    if path is None:
        return None
    if isinstance(path, rdflib.URIRef):
        return kg.compact(str(path))
    inverse = results.value(path, rdflib.URIRef(SH + "inversePath"))
    if isinstance(inverse, rdflib.URIRef):
        return "^" + kg.compact(str(inverse))
    return "(path)"
