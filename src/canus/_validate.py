"""Check the graph against SHACL shapes with pySHACL, and locate each result in the files.

pySHACL runs on the whole graph with every shape, so a canus report is pySHACL's report. The
one speed-up is below the engine: pySHACL runs each SPARQL query of a shape once per focus node,
and rdflib parses the query text every time; :class:`_ParseOnceGraph` parses each text once
and hands rdflib's own evaluator the parsed query, which is exactly what rdflib does after
parsing (``tests/test_validate_differential.py`` compares the two on every kind of shape).
"""

from __future__ import annotations

import contextlib
import functools
import gc
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import rdflib
from rdflib.collection import Collection
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery

from canus._convert import term_to_rdflib
from canus._errors import InputError
from canus._load import KnowledgeGraph, parse_turtle_file
from canus._namespaces import ONTOLOGY, SH, THING_PATTERN, XSD
from canus._report import Report, Violation, severity_rank
from canus._worker import Background

SH_PATHS = {
    "inversePath": "^{}",
    "zeroOrMorePath": "{}*",
    "oneOrMorePath": "{}+",
    "zeroOrOnePath": "{}?",
}


def validate(
    kg: KnowledgeGraph,
    shapes: str | Path | None = None,
    *,
    fail_on: str = "Violation",
    vocabulary: bool = True,
    workers: int | None = None,
) -> Report:
    """Validate ``kg`` against ``ontology/shapes.ttl`` (or the ``shapes`` file).

    Every SHACL Core and SHACL-SPARQL feature pySHACL supports is honoured (no OWL/RDFS
    inference: the shapes say what they need). With ``vocabulary``, every ``canus:`` term used
    in the data must be defined in the ontology (see :mod:`canus._vocabulary`). ``fail_on``
    (Violation, Warning or Info) is the least serious result that makes the report fail.
    ``workers`` (1 or 2) splits pySHACL's work by shape over two cores; by default large graphs
    are split (see :mod:`canus._shacl_run`).
    Raises :class:`InputError` for shapes no engine can run, naming the file and the shape.
    """
    import logging

    if fail_on not in ("Violation", "Warning", "Info"):
        raise ValueError(f"fail_on must be Violation, Warning or Info, not {fail_on!r}")
    # An ill-typed literal ("1958-02-30"^^xsd:date) is a result the shapes report; rdflib would
    # also log a traceback for it on stderr.
    logging.getLogger("rdflib.term").setLevel(logging.CRITICAL)

    shapes_path = kg.shapes_path if shapes is None else Path(shapes)
    if not shapes_path.is_file():
        raise InputError(f"{shapes_path}: shapes file missing")
    display = _display(shapes_path, kg.root)
    # the vocabulary check is one query in Oxigraph (which lets go of the GIL): it runs while
    # the data graph is built, and is over before the validation forks
    vocabulary_check = Background(functools.partial(_vocabulary_check, kg)) if vocabulary else None
    with _collecting_less():
        shapes_graph = _rdflib_graph(parse_turtle_file(shapes_path, kg.root))
        data, exact = _data_graph(kg)
        vocabulary_results = vocabulary_check.result() if vocabulary_check else []
        gc.freeze()  # the graphs live until the end: no collection need walk them again
        gc.enable()
        from canus._shacl_run import ShapesRefused, run

        try:
            results_graph = run(data, shapes_graph, kg.store, exact, workers)
        except ShapesRefused as exc:  # pySHACL's word for a shape it refuses
            raise InputError(f"{display}: cannot run these shapes: {exc}") from None
        except Exception as exc:
            raise InputError(f"{display}: {_engine_error(exc)}") from None
    results = _read_results(kg, results_graph) + vocabulary_results
    results.sort(key=_order)
    names = {r.focus: kg.compact(r.focus) for r in results}
    return Report(results, _count_things(kg), names, results_graph, fail_on)


def _vocabulary_check(kg: KnowledgeGraph) -> list[Violation]:
    from canus._vocabulary import check_vocabulary

    return check_vocabulary(kg)


@contextlib.contextmanager
def _collecting_less() -> Iterator[None]:
    """No garbage collection while the graphs are built (they are not garbage, and Python's
    collector would walk them again and again as they grow: a quarter of the time); objects
    frozen inside are given back to the collector at the end, and its state restored."""
    enabled, frozen = gc.isenabled(), gc.get_freeze_count()
    gc.disable()
    try:
        yield
    finally:
        if not frozen:
            gc.unfreeze()
        if enabled:
            gc.enable()
        else:
            gc.disable()


#: Typed literals Oxigraph's store keeps in canonical form, and that form (as a pattern).
_CANONICAL = {
    XSD + "integer": re.compile(r"0|-?[1-9][0-9]*"),
    XSD + "decimal": re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]*[1-9])?"),
    XSD + "boolean": re.compile(r"true|false"),
    XSD + "date": re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"),
    XSD + "gYear": re.compile(r"[0-9]{4}"),
    XSD + "gYearMonth": re.compile(r"[0-9]{4}-[0-9]{2}"),
}
_NATIVE = {
    XSD + name
    for name in (
        *("float", "double", "dateTime", "dateTimeStamp", "time", "duration"),
        *("gMonthDay", "gDay", "gMonth", "yearMonthDuration", "dayTimeDuration"),
        *("int", "long", "short", "byte", "unsignedLong", "unsignedInt", "unsignedShort"),
        *("unsignedByte", "nonNegativeInteger", "positiveInteger", "nonPositiveInteger"),
        "negativeInteger",
    )
}


def _data_graph(kg: KnowledgeGraph) -> tuple[rdflib.Graph, bool]:
    """pySHACL's data graph, read from the files as written, and whether the store agrees.

    Oxigraph's store keeps typed literals in canonical form ("5.0"^^xsd:decimal becomes "5"),
    so the graph pySHACL checks is parsed from the files themselves (Oxigraph's parser keeps
    every lexical form), each file's blank nodes kept apart. The flag is False when some
    literal's form differs from the store's, so that nothing reads the store in its place.
    """
    graph = _ParseOnceGraph()
    for prefix, ns in kg.prefixes.items():
        graph.bind(prefix, ns, override=True)
    exact = True
    add = graph.store.add  # what Graph.add calls after its type checks
    terms: dict[Any, Any] = {}  # IRIs and literals repeat: each converted once

    for number, loaded in enumerate(kg.files):
        raw = loaded.path.read_bytes()
        blanks: dict[str, rdflib.BNode] = {}

        def term(node: Any, blanks: dict = blanks, number: int = number) -> Any:
            nonlocal exact
            if isinstance(node, ox.BlankNode):
                found = blanks.get(node.value)
                if found is None:
                    found = blanks[node.value] = rdflib.BNode(f"f{number}b{node.value}")
                return found
            found = terms.get(node)
            if found is None:
                found = terms[node] = term_to_rdflib(node)
                if exact and isinstance(node, ox.Literal):
                    exact = _kept_as_written(node)
            return found

        for subject, predicate, obj, _ in ox.parse(raw, format=ox.RdfFormat.TURTLE):
            add((term(subject), term(predicate), term(obj)), graph, False)
    return graph, exact


def _kept_as_written(literal: ox.Literal) -> bool:
    """Whether Oxigraph's store keeps this literal's lexical form as written."""
    datatype = literal.datatype.value
    pattern = _CANONICAL.get(datatype)
    if pattern is not None:
        return pattern.fullmatch(literal.value) is not None
    return datatype not in _NATIVE


def _display(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _engine_error(exc: Exception) -> str:
    """What pySHACL refused, in one line (a shape it cannot load, a query it cannot run)."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    if isinstance(exc, NotImplementedError):
        return f"not supported by the SHACL engine: {text}"
    return f"cannot run these shapes: {text}"


def _rdflib_graph(triples: list) -> rdflib.Graph:
    from canus._convert import to_rdflib

    graph = rdflib.Graph()
    for triple in triples:
        graph.add(to_rdflib(triple))
    return graph


class _ParseOnceGraph(rdflib.Graph):
    """An rdflib Graph whose SPARQL texts are parsed once and then reused.

    rdflib's ``Graph.query`` on a text does ``translateQuery(parseQuery(text), base, initNs)``
    and evaluates the result; here the translation is kept per (text, namespaces) and the same
    evaluation runs on it, so answers cannot differ.
    """

    def query(  # type: ignore[override]
        self,
        query_object: Any,
        processor: Any = "sparql",
        result: Any = "sparql",
        initNs: Any = None,  # rdflib's names
        initBindings: Any = None,
        use_store_provided: bool = True,
        **kwargs: Any,
    ) -> Any:
        if isinstance(query_object, str) and processor == "sparql" and not kwargs:
            namespaces = initNs or dict(self.namespaces())
            key = (query_object, tuple(sorted((k, str(v)) for k, v in namespaces.items())))
            cache = self.__dict__.setdefault("_canus_parsed", {})
            parsed = cache.get(key)
            if parsed is None:
                parsed = cache[key] = translateQuery(parseQuery(query_object), None, namespaces)
            query_object, initNs = parsed, namespaces
        return super().query(
            query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs
        )


def _count_things(kg: KnowledgeGraph) -> int:
    """Things as ``canus stats`` counts them (one definition of a thing), sources apart."""
    query = (
        f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {THING_PATTERN} "
        f"FILTER(?class != <{ONTOLOGY}SourceDocument>) }}"
    )
    for solution in kg.store.query(query, use_default_graph_as_union=True):
        return int(solution["n"].value)
    return 0


def _read_results(kg: KnowledgeGraph, results: rdflib.Graph) -> list[Violation]:
    """The report's results (not the nested sh:detail ones), each located in the files."""
    sh = rdflib.Namespace(SH)
    found: list[Violation] = []
    seen: set[tuple] = set()
    for node in results.objects(None, sh.result):
        focus = results.value(node, sh.focusNode)
        value = results.value(node, sh.value)
        source_shape = results.value(node, sh.sourceConstraint)
        if not isinstance(source_shape, rdflib.URIRef):  # a SPARQL rule is named by its constraint
            source_shape = results.value(node, sh.sourceShape)
        severity = results.value(node, sh.resultSeverity)
        messages = list(results.objects(node, sh.resultMessage))
        file, line, label = _where(kg, focus)
        item = Violation(
            focus=_term_key(focus),
            label=label,
            path=render_path(kg.compact, results, results.value(node, sh.resultPath)),
            value=_render_term(kg, value) if value is not None and value != focus else None,
            shape=_render_term(kg, source_shape) if source_shape is not None else "?",
            component=_component_name(results.value(node, sh.sourceConstraintComponent)),
            severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
            message=_pick_message(messages) or "does not conform",
            file=file,
            line=line,
        )
        key = (item.focus, item.path, item.value, item.shape, item.component, item.severity)
        if key in seen:
            continue
        seen.add(key)
        found.append(item)
    return found


def _where(kg: KnowledgeGraph, focus: Any) -> tuple[str | None, int | None, str | None]:
    """File, line and English label of a focus node (only IRIs have them)."""
    if not isinstance(focus, rdflib.URIRef):
        return None, None, None
    iri = str(focus)
    located = kg.locate(iri)
    file, line = located if located else (kg.defining_file(iri), None)
    return file, line, kg.label(iri, "en")


def _term_key(term: Any) -> str:
    """An IRI as itself; a literal or blank node in its N-Triples form."""
    if isinstance(term, rdflib.URIRef):
        return str(term)
    if term is None:
        return "?"
    return term.n3()


def _order(r: Violation) -> tuple:
    return (
        severity_rank(r.severity),
        r.file or "~",
        r.line or 0,
        r.focus,
        r.path or "",
        r.shape,
        r.value or "",
    )


def _pick_message(messages: list) -> str | None:
    for msg in messages:
        if getattr(msg, "language", None) == "en":
            return str(msg)
    return str(sorted(messages)[0]) if messages else None


def _component_name(component: Any) -> str:
    """``minCount`` for sh:MinCountConstraintComponent; other components by their IRI's end."""
    if component is None:
        return "?"
    name = str(component).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    name = name.removesuffix("ConstraintComponent")
    if name.startswith("SPARQL"):
        return "sparql" + name[6:]
    return name[:1].lower() + name[1:]


def _render_term(kg: KnowledgeGraph, term: Any) -> str:
    if isinstance(term, rdflib.URIRef):
        return kg.compact(str(term))
    if isinstance(term, rdflib.Literal):
        return term.n3()
    return "[]"


def render_path(compact: Any, graph: rdflib.Graph, path: Any) -> str | None:
    """A SHACL path in SPARQL property-path syntax: ``dcterms:source``, ``^canus:agreement``,
    ``(canus:a / canus:b)``, ``(canus:a | canus:b)``, ``canus:partOf*``."""
    if path is None:
        return None
    if isinstance(path, rdflib.URIRef):
        return compact(str(path))
    if (path, rdflib.RDF.first, None) in graph:
        steps = [render_path(compact, graph, p) for p in Collection(graph, path)]
        return "(" + " / ".join(s or "?" for s in steps) + ")"
    alternatives = graph.value(path, rdflib.URIRef(SH + "alternativePath"))
    if alternatives is not None:
        options = [render_path(compact, graph, p) for p in Collection(graph, alternatives)]
        return "(" + " | ".join(o or "?" for o in options) + ")"
    for name, form in SH_PATHS.items():
        inner = graph.value(path, rdflib.URIRef(SH + name))
        if inner is not None:
            return form.format(render_path(compact, graph, inner) or "?")
    return "(path)"
