"""SHACL-SPARQL constraints run once for all their focus nodes on Oxigraph, where that is safe.

pySHACL runs a constraint's SELECT once per focus node with ``$this`` pre-bound, in rdflib
(about half a millisecond each). Here, inside pySHACL's own evaluation, the same query runs once
on Oxigraph with ``VALUES ?this { ...every focus node... }`` opening its WHERE group, and pySHACL
then builds its results from the rows of each focus node exactly as it does from rdflib's rows.

That is the same answer only for queries where joining ``?this`` at the top equals pre-binding
it, and whose functions both engines define alike, so a query is batched only when its algebra
is made of basic graph patterns, filters and joins (FILTER (NOT) EXISTS included), with
expressions from a short list, ``$this`` pre-bound and projected, and no other pre-bound
variable; every other query (and focus nodes VALUES cannot name exactly) goes to pySHACL
unchanged. ``tests/test_validate_differential.py`` compares with plain pySHACL's results.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from typing import Any

import pyoxigraph as ox
import rdflib
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue

from canus._convert import term_to_rdflib
from canus._errors import QueryError
from canus._sparql import scan

#: Graph patterns where a join with ``VALUES ?this`` equals pre-binding ``$this``.
SAFE_PATTERNS = {"BGP", "Filter", "Join", "GroupGraphPatternSub", "TriplesBlock"}
#: Functions both engines define alike that give a boolean whatever their arguments.
BOOLEAN_FUNCTIONS = {
    "Builtin_isIRI",
    "Builtin_isLITERAL",
    "Builtin_isBLANK",
    "Builtin_BOUND",
    "Builtin_sameTerm",
}
#: Pre-bound variables other than $this: queries naming them go to pySHACL.
OTHER_PREBOUND = re.compile(r"[$?](currentShape|shapesGraph|PATH)\b")
#: Regular expressions whose meaning Python's and Oxigraph's engines share.
PLAIN_REGEX = re.compile(r"^[\w\s.^$*+?()\[\]{}|,:/\\-]*$")
CHUNK = 5000


def _kind(node: Any) -> str | None:
    """The kind of value an expression gives where both engines agree on it: "bool", "string"
    (a simple literal), "int", "iri", "term" (any RDF term: a variable), or None (unsafe)."""
    if isinstance(node, rdflib.Variable):
        return "term"
    if isinstance(node, rdflib.URIRef):
        return "iri"
    if isinstance(node, rdflib.Literal):
        if node.language is None and node.datatype in (None, rdflib.XSD.string):
            return "string"
        if node.datatype == rdflib.XSD.integer:
            return "int"
        return "bool" if node.datatype == rdflib.XSD.boolean else None
    if not isinstance(node, CompValue):
        return None
    name = node.name
    if name in ("Builtin_EXISTS", "Builtin_NOTEXISTS"):
        return "bool" if _safe_pattern(node.graph) else None
    if name in BOOLEAN_FUNCTIONS:
        args = [v for k, v in node.items() if k != "_vars"]
        return "bool" if all(_kind(a) is not None for a in args) else None
    if name in ("ConditionalAndExpression", "ConditionalOrExpression"):
        parts = [node.expr, *(node.other or [])]
        return "bool" if all(_kind(p) == "bool" for p in parts) else None
    if name == "UnaryNot":
        return "bool" if _kind(node.expr) == "bool" else None
    if name in ("Builtin_LANG", "Builtin_STR"):
        return "string" if _kind(node.arg) is not None else None
    if name == "Builtin_DATATYPE":
        return "iri" if _kind(node.arg) is not None else None
    if name == "Builtin_STRLEN":
        return "int" if _kind(node.arg) == "string" else None
    if name == "Builtin_SUBSTR":
        ok = _kind(node.arg) == "string" and _kind(node.start) == "int"
        return "string" if ok and (node.length is None or _kind(node.length) == "int") else None
    if name == "Builtin_STRSTARTS":
        return "bool" if _kind(node.arg1) == _kind(node.arg2) == "string" else None
    if name == "Builtin_REGEX":
        return "bool" if _plain_regex(node) else None
    if name == "RelationalExpression":
        return "bool" if _safe_comparison(node) else None
    return None


def _plain_regex(node: CompValue) -> bool:
    pattern, flags = node.pattern, node.flags
    return bool(
        _kind(node.text) == "string"
        and isinstance(pattern, rdflib.Literal)
        and PLAIN_REGEX.match(str(pattern))
        and "(?" not in str(pattern)
        and (flags is None or str(flags) in ("", "i"))
    )


def _safe_comparison(node: CompValue) -> bool:
    """Comparisons whose outcome (true, false or error) both engines agree on: strings with
    strings and integers with integers (any operator), IRIs by (in)equality; a variable only
    by (in)equality with IRIs, since two arbitrary terms may be incomparable literals."""
    left = _kind(node.expr)
    op = str(node.op)
    others = node.other if op in ("IN", "NOT IN") else [node.other]
    kinds = [_kind(o) for o in others]
    if left is None or None in kinds:
        return False
    if op in ("IN", "NOT IN", "=", "!="):
        if left in ("iri", "term"):
            return all(k == "iri" for k in kinds) or (left == "iri" and kinds == ["term"])
        return all(k == left for k in kinds)
    return left in ("string", "int") and kinds == [left]


def _safe_pattern(node: Any) -> bool:
    if isinstance(node, list):
        return all(_safe_pattern(x) for x in node)
    if not isinstance(node, CompValue) or node.name not in SAFE_PATTERNS:
        return False
    if node.name == "Filter":
        return _kind(node.expr) == "bool" and _safe_pattern(node.p)
    if node.name == "Join":
        return _safe_pattern(node.p1) and _safe_pattern(node.p2)
    if node.name == "GroupGraphPatternSub":
        return _safe_pattern(node.part)
    return True  # BGP, TriplesBlock: triple patterns only


def batchable(text: str, namespaces: dict[str, str]) -> bool:
    """Whether ``text`` (a SELECT with ``$this``) gives the same rows when batched."""
    if OTHER_PREBOUND.search(text) or re.search(r"\bBASE\b", text, re.I):
        return False
    try:
        query = translateQuery(parseQuery(text), None, namespaces)
    except Exception:
        return False  # pySHACL will report it
    top = query.algebra
    if top.name != "SelectQuery" or top.get("datasetClause"):
        return False
    project = top.p
    if project.name != "Project" or rdflib.Variable("this") not in project.PV:
        return False
    pattern = project.p
    while pattern.name == "Extend":  # (constant AS ?path) in the projection
        if pattern.var == rdflib.Variable("this") or not isinstance(
            pattern.expr, (rdflib.URIRef, rdflib.Literal)
        ):
            return False
        pattern = pattern.p
    return _safe_pattern(pattern)


def _nameable(term: Any) -> bool:
    """IRIs and string literals: terms VALUES names exactly as rdflib matches them (a blank node
    cannot be named; a typed literal could come back in another lexical form)."""
    if isinstance(term, rdflib.URIRef):
        return True
    return isinstance(term, rdflib.Literal) and (
        term.language is not None or term.datatype in (None, rdflib.XSD.string)
    )


def _sparql_term(term: rdflib.term.Identifier) -> str:
    if isinstance(term, rdflib.URIRef):
        return str(ox.NamedNode(str(term)))
    if term.language:
        return str(ox.Literal(str(term), language=term.language))
    if term.datatype:
        return str(ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype))))
    return str(ox.Literal(str(term)))


def _rows_like_pyshacl(rows: list[dict]) -> list:
    """pySHACL's ``_validate_sparql_query`` post-processing, on already-fetched rows."""
    violations: list = []
    dedup: set = set()
    for var_dict in rows:
        failure = var_dict.pop("failure", None)
        if failure is not None:
            if True in dedup:
                continue
            violations.append((True, var_dict))
            dedup.add(True)
            continue
        p = var_dict.pop("path", None)
        v = var_dict.pop("value", None)
        t = var_dict.pop("this", None)
        if (p is not None) or (v is not None) or (t is not None):
            if (t, p, v, var_dict) in violations:
                continue
            violations.append((t, p, v, var_dict))
    return violations


class Batcher:
    """Runs batchable constraint queries on ``store`` (the same triples as pySHACL's graph).

    ``enabled`` is False when the store's terms differ from pySHACL's graph beyond blank-node
    names (Oxigraph writes typed literals such as ``"5.0"^^xsd:decimal`` in canonical form).
    """

    def __init__(self, store: ox.Store, enabled: bool = True) -> None:
        self.store = store
        self.enabled = enabled
        self._batchable: dict[tuple, bool] = {}
        self.batched = 0  # constraints run in one go (for tests and benchmarks)

    def rows_by_focus(
        self, text: str, focus_nodes: list, namespaces: dict[str, str]
    ) -> dict | None:
        """Rows of ``text`` for each focus node, or None when the query must go to pySHACL."""
        if not self.enabled:
            return None
        key = (text, tuple(sorted(namespaces.items())))
        ok = self._batchable.get(key)
        if ok is None:
            ok = self._batchable[key] = batchable(text, namespaces)
        if not ok or not all(_nameable(f) for f in focus_nodes):
            return None
        try:
            brace = scan(text).where_brace
        except QueryError:
            return None
        if brace < 0:
            return None
        found: dict = {f: [] for f in focus_nodes}
        for start in range(0, len(focus_nodes), CHUNK):
            chunk = focus_nodes[start : start + CHUNK]
            values = " ".join(_sparql_term(f) for f in chunk)
            batched = f"{text[: brace + 1]} VALUES ?this {{ {values} }} {text[brace + 1 :]}"
            if not self._read_rows(batched, namespaces, found):
                return None
        self.batched += 1
        return {f: _rows_like_pyshacl(rows) for f, rows in found.items()}

    def _read_rows(self, batched: str, namespaces: dict[str, str], found: dict) -> bool:
        """Add the rows of ``batched`` to ``found`` by focus node; False when pySHACL must
        decide. Oxigraph's results live only in this frame: rows_by_focus's frame can outlive
        the call (rdflib's parser leaves tracebacks that hold it), and a query result must be
        freed in the thread that made it."""
        solutions = self.store.query(batched, prefixes=namespaces, use_default_graph_as_union=True)
        names = [v.value for v in solutions.variables]
        for solution in solutions:
            row = {}
            for name in names:
                term = solution[name]
                if isinstance(term, ox.BlankNode):
                    return False  # the store names blank nodes apart from pySHACL's graph
                if term is not None:
                    row[name] = term_to_rdflib(term)
            focus = row.get("this")
            if focus not in found:
                return False  # a term Oxigraph wrote back otherwise: let pySHACL decide
            found[focus].append(row)
        return True


@contextlib.contextmanager
def batched_sparql(batcher: Batcher) -> Iterator[None]:
    """While open, pySHACL's SPARQL constraints go through ``batcher`` where it can take them."""
    from pyshacl.constraints.sparql.sparql_based_constraints import SPARQLBasedConstraint

    original = SPARQLBasedConstraint._evaluate_sparql_constraint

    def evaluate(self: Any, sparql_constraint: Any, target_graph: Any, f_v_dict: dict) -> Any:
        focus_nodes = list(f_v_dict)
        rows = None
        if focus_nodes:
            binds, raw_text = sparql_constraint.pre_bind_variables(focus_nodes[0])
            text = sparql_constraint.apply_prefixes(raw_text)
            if set(binds) == {"this"}:  # $this, and no other pre-bound variable
                namespaces = {p: str(ns) for p, ns in target_graph.namespaces()}
                rows = batcher.rows_by_focus(text, focus_nodes, namespaces)
        if rows is None:
            return original(self, sparql_constraint, target_graph, f_v_dict)
        # pySHACL's own loop builds the results; each focus node's rows are already fetched,
        # and its query text (the same for every focus node) is already made
        self._validate_sparql_query = lambda _q, b, _g: rows.get(b.get("this"), [])
        sparql_constraint.pre_bind_variables = lambda f, *_a, **_k: ({"this": f}, raw_text)
        sparql_constraint.apply_prefixes = lambda _t: text
        try:
            return original(self, sparql_constraint, target_graph, f_v_dict)
        finally:
            del self._validate_sparql_query
            del sparql_constraint.pre_bind_variables
            del sparql_constraint.apply_prefixes

    SPARQLBasedConstraint._evaluate_sparql_constraint = evaluate
    try:
        yield
    finally:
        SPARQLBasedConstraint._evaluate_sparql_constraint = original
