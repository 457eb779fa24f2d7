"""Counts by class and property, and coverage of labels, descriptions and sources."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from canus._load import KnowledgeGraph
from canus._namespaces import ID, THING_PATTERN, compact

_THINGS = f"""
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?s ?class
  (EXISTS {{ ?s rdfs:label ?en FILTER(LANG(?en) = "en") }} AS ?hasEn)
  (EXISTS {{ ?s rdfs:label ?fr FILTER(LANG(?fr) = "fr") }} AS ?hasFr)
  (EXISTS {{ ?s dcterms:description ?d }} AS ?hasDescription)
  (EXISTS {{ ?s dcterms:source ?src }} AS ?hasSource)
WHERE {{
  {THING_PATTERN}
}}"""

_PROPERTIES = f"""
SELECT ?p (COUNT(*) AS ?n) WHERE {{
  ?s ?p ?o . FILTER(STRSTARTS(STR(?s), "{ID}"))
}} GROUP BY ?p ORDER BY DESC(?n) ?p"""


@dataclass
class Stats:
    """The figures ``canus stats`` prints."""

    triples: int
    files: int
    things: int
    by_class: dict[str, int] = field(default_factory=dict)
    by_property: dict[str, int] = field(default_factory=dict)
    coverage: dict[str, float] = field(default_factory=dict)
    sources: int = 0

    def render(self, fmt: str = "text") -> str:
        """As aligned ``text`` or ``json``."""
        if fmt == "json":
            return json.dumps(self.__dict__, indent=2) + "\n"
        lines = [
            f"triples   {self.triples}",
            f"files     {self.files}",
            f"things    {self.things}",
            f"sources   {self.sources}",
            "",
            "coverage (share of things)",
        ]
        lines += [f"  {k:<16}{v:6.1%}" for k, v in self.coverage.items()]
        lines += ["", "things by class"]
        width = max((len(k) for k in self.by_class), default=10)
        lines += [f"  {k:<{width}}  {v:>5}" for k, v in self.by_class.items()]
        lines += ["", "statements by property"]
        width = max((len(k) for k in self.by_property), default=10)
        lines += [f"  {k:<{width}}  {v:>5}" for k, v in self.by_property.items()]
        return "\n".join(lines) + "\n"


def _count_triples(kg: KnowledgeGraph) -> int:
    """Distinct triples of the union (a triple stated in two files counts once)."""
    query = (
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }"
    )
    return int(next(iter(kg.store.query(query)))["n"].value)


def stats(kg: KnowledgeGraph) -> Stats:
    """Compute :class:`Stats` for the loaded graph.

    Things are subjects under ``id:`` typed with a canus class, source documents counted apart.
    """
    things: dict[str, dict[str, bool]] = {}
    by_class: dict[str, int] = {}
    for row in kg.store.query(_THINGS, use_default_graph_as_union=True):
        cls = compact(row["class"].value, kg.prefixes)
        by_class[cls] = by_class.get(cls, 0) + 1
        if cls == "canus:SourceDocument":
            continue  # sources are counted apart; they are what the others cite
        flags = things.setdefault(row["s"].value, {})
        for key in ("hasEn", "hasFr", "hasDescription", "hasSource"):
            flags[key] = flags.get(key, False) or row[key].value == "true"
    total = len(things) or 1
    coverage = {
        "english label": sum(f["hasEn"] for f in things.values()) / total,
        "french label": sum(f["hasFr"] for f in things.values()) / total,
        "description": sum(f["hasDescription"] for f in things.values()) / total,
        "source": sum(f["hasSource"] for f in things.values()) / total,
    }
    by_property = {
        compact(row["p"].value, kg.prefixes): int(row["n"].value)
        for row in kg.store.query(_PROPERTIES, use_default_graph_as_union=True)
    }
    return Stats(
        triples=_count_triples(kg),
        files=len(kg.files),
        things=len(things),
        by_class=dict(sorted(by_class.items(), key=lambda kv: (-kv[1], kv[0]))),
        by_property=by_property,
        coverage=coverage,
        sources=by_class.get("canus:SourceDocument", 0),
    )
