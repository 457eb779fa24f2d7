"""Closed vocabulary: every ``canus:`` term the data uses must be defined in the ontology.

SHACL only checks what its shapes name, so a misspelled property (``canus:parentOrganisation``)
or class (``canus:Agncy``) would pass unseen and silently drop out of every query. This check
reports each such term on the line where it is used, with the closest ontology term.
"""

from __future__ import annotations

import bisect
import difflib
import re

import pyoxigraph as ox

from canus._load import KnowledgeGraph, LoadedFile
from canus._namespaces import ONTOLOGY
from canus._report import Violation

RULE = "vocabulary"


def defined_terms(kg: KnowledgeGraph) -> set[str]:
    """The ``canus:`` IRIs the ontology files define (as subjects of their own triples)."""
    terms: set[str] = set()
    for loaded in kg.files:
        if not loaded.name.startswith("ontology/"):
            continue
        for quad in kg.store.quads_for_pattern(None, None, None, ox.NamedNode(loaded.graph)):
            subject = quad.subject
            if isinstance(subject, ox.NamedNode) and subject.value.startswith(ONTOLOGY):
                terms.add(subject.value)
    return terms


def used_terms(kg: KnowledgeGraph) -> dict[str, set[str]]:
    """For each data file's graph, the ``canus:`` IRIs it uses in any position."""
    ontology_graphs = " ".join(f"<{f.graph}>" for f in kg.files if f.name.startswith("ontology/"))
    query = f"""
        SELECT DISTINCT ?g ?t WHERE {{
          GRAPH ?g {{ {{ ?t ?p ?o }} UNION {{ ?s ?t ?o }} UNION {{ ?s ?p ?t }} }}
          FILTER(isIRI(?t) && STRSTARTS(STR(?t), "{ONTOLOGY}"))
          {f"FILTER(?g NOT IN ({', '.join(ontology_graphs.split())}))" if ontology_graphs else ""}
        }}"""
    found: dict[str, set[str]] = {}
    for solution in kg.store.query(query):
        found.setdefault(solution["g"].value, set()).add(solution["t"].value)
    return found


def suggestion(term: str, defined: set[str]) -> str | None:
    """The ontology term closest to ``term`` (case first, then spelling), if any is close."""
    local = term[len(ONTOLOGY) :]
    names = {t[len(ONTOLOGY) :]: t for t in defined}
    for name, iri in names.items():
        if name.lower() == local.lower():
            return iri
    close = difflib.get_close_matches(local, list(names), n=1, cutoff=0.6)
    return names[close[0]] if close else None


def check_vocabulary(kg: KnowledgeGraph) -> list[Violation]:
    """A violation for each use of a ``canus:`` term that the ontology does not define."""
    defined = defined_terms(kg)
    by_graph = {f.graph: f for f in kg.files}
    results: list[Violation] = []
    for graph, terms in sorted(used_terms(kg).items()):
        loaded = by_graph.get(graph)
        for term in sorted(terms - defined):
            hint = suggestion(term, defined)
            fix = f"did you mean {kg.compact(hint)}?" if hint else "define it in ontology/canus.ttl"
            message = f"{kg.compact(term)} is not a term of the canus ontology; {fix}"
            results += _uses(kg, loaded, term, message)
    return results


def _uses(
    kg: KnowledgeGraph, loaded: LoadedFile | None, term: str, message: str
) -> list[Violation]:
    """One violation per line of the file that names ``term``."""
    lines = _lines_naming(loaded, term) if loaded else []
    if not lines:
        focus = _a_subject_using(kg, loaded, term) or term
        return [_violation(kg, focus, term, message, loaded.name if loaded else None, None)]
    starts = sorted((line, iri) for iri, line in loaded.subjects.items())
    out = []
    for line in lines:
        index = bisect.bisect_right(starts, (line, "\uffff")) - 1
        focus = starts[index][1] if index >= 0 else term
        out.append(_violation(kg, focus, term, message, loaded.name, line))
    return out


def _violation(
    kg: KnowledgeGraph, focus: str, term: str, message: str, file: str | None, line: int | None
) -> Violation:
    return Violation(
        focus=focus,
        label=kg.label(focus, "en") if focus != term else None,
        path=kg.compact(term),
        value=None,
        shape=RULE,
        component="undefined",
        severity="Violation",
        message=message,
        file=file,
        line=line,
    )


def _lines_naming(loaded: LoadedFile, term: str) -> list[int]:
    """The line numbers of ``loaded`` where ``term`` is written, in full or with a prefix."""
    forms = [re.escape(f"<{term}>")]
    for prefix, namespace in loaded.prefixes.items():
        if term.startswith(namespace) and len(term) > len(namespace):
            forms.append(r"(?<![\w.:-])" + re.escape(f"{prefix}:{term[len(namespace) :]}"))
    pattern = re.compile("(?:" + "|".join(forms) + r")(?![\w-])")
    try:
        text = loaded.path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    return [n for n, line in enumerate(text.splitlines(), start=1) if pattern.search(line)]


def _a_subject_using(kg: KnowledgeGraph, loaded: LoadedFile | None, term: str) -> str | None:
    if loaded is None:
        return None
    graph = ox.NamedNode(loaded.graph)
    node = ox.NamedNode(term)
    for pattern in ((None, node, None), (None, None, node)):
        for quad in kg.store.quads_for_pattern(*pattern, graph):
            if isinstance(quad.subject, ox.NamedNode):
                return quad.subject.value
    return None
