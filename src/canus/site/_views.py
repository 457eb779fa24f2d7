"""What the site's own pages show, as plain data: the timeline, the network, coverage and the
ontology's terms. Each function reads the store once or twice with SPARQL and returns lists and
dicts sorted so the pages come out the same on every build.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

import pyoxigraph as ox

from canus._load import KnowledgeGraph
from canus._namespaces import DCTERMS, ID, ONTOLOGY, OWL, RDF, RDFS, SKOS

Link = Callable[[str], str]
Node = dict[str, Any]
SCHEMA = "https://schema.org/"
ORG = "http://www.w3.org/ns/org#"
_PREFIX = f"PREFIX canus: <{ONTOLOGY}> PREFIX rdfs: <{RDFS}> PREFIX skos: <{SKOS}> "


def _rows(kg: KnowledgeGraph, query: str) -> list[dict[str, str]]:
    """SELECT rows over the union of the files, as ``{variable: value}`` strings."""
    result = kg.store.query(_PREFIX + query, use_default_graph_as_union=True)
    names = [v.value for v in result.variables]
    out = []
    for solution in result:
        out.append({n: solution[n].value for n in names if solution[n] is not None})
    return out


class Names:
    """Labels (en, fr) and the site link of IRIs, looked up once each."""

    def __init__(self, kg: KnowledgeGraph, link: Link) -> None:
        self.labels: dict[str, dict[str, str]] = defaultdict(dict)
        for quad in kg.store.quads_for_pattern(None, ox.NamedNode(RDFS + "label"), None):
            obj = quad.object
            if isinstance(obj, ox.Literal) and isinstance(quad.subject, ox.NamedNode):
                self.labels[quad.subject.value].setdefault(obj.language or "", obj.value)
        self.kg = kg
        self.link = link

    def en(self, iri: str) -> str:
        found = self.labels.get(iri, {})
        return found.get("en") or found.get("") or found.get("fr") or self.kg.compact(iri)

    def fr(self, iri: str) -> str:
        return self.labels.get(iri, {}).get("fr") or self.en(iri)

    def node(self, iri: str) -> Node:
        """``{iri, href, en, fr, short}`` like the serve pages' nodes."""
        return {
            "iri": iri,
            "href": self.link(iri),
            "en": self.en(iri),
            "fr": self.fr(iri),
            "short": self.kg.compact(iri),
        }


def year_of(date: str) -> float:
    """A date, gYearMonth or gYear as a fractional year, for placing it on an axis."""
    parts = date.lstrip("-").split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else 7
        day = int(parts[2][:2]) if len(parts) > 2 else 1
    except ValueError:
        return 0.0
    return round(year + (month - 1) / 12 + (day - 1) / 365, 3)


#: Timeline groups: the class (or an ancestor) that puts a dated thing in a lane.
TIMELINE_GROUPS = (
    ("Signing", "Agreements signed", "Accords signés"),
    ("Agreement", "Agreements", "Accords"),
    ("Renewal", "Renewals", "Renouvellements"),
    ("Event", "Events", "Événements"),
    ("MilitaryOperation", "Operations", "Opérations"),
    ("Initiative", "Programs", "Programmes"),
    ("Organization", "Organizations", "Organisations"),
)


def _groups(kg: KnowledgeGraph, names: tuple[str, ...]) -> dict[str, str]:
    """Each canus thing's group: the first of ``names`` that its class is (or refines)."""
    values = " ".join(f"canus:{n}" for n in names)
    rows = _rows(
        kg,
        f"""SELECT DISTINCT ?s ?g WHERE {{
          VALUES ?g {{ {values} }}
          ?s a ?c . ?c rdfs:subClassOf* ?g .
          FILTER(STRSTARTS(STR(?s), "{ID}")) }}""",
    )
    order = {f"{ONTOLOGY}{n}": i for i, n in enumerate(names)}
    found: dict[str, str] = {}
    for row in sorted(rows, key=lambda r: order[r["g"]]):
        found.setdefault(row["s"], row["g"][len(ONTOLOGY) :])
    return found


def _neighbours(kg: KnowledgeGraph) -> dict[str, set[str]]:
    """The canus things each canus thing points to (one hop, any property but rdf:type)."""
    out: dict[str, set[str]] = defaultdict(set)
    for quad in kg.store:
        s, o = quad.subject, quad.object
        if (
            isinstance(s, ox.NamedNode)
            and isinstance(o, ox.NamedNode)
            and s.value.startswith(ID)
            and o.value.startswith(ID)
            and quad.predicate.value not in (DCTERMS + "source",)
        ):
            out[s.value].add(o.value)
    return out


def timeline(kg: KnowledgeGraph, names: Names) -> Node:
    """Dated agreements, renewals, events, operations and programs, oldest first, each with the
    themes and countries it touches (its own, and those of the things it names)."""
    groups = _groups(kg, tuple(g[0] for g in TIMELINE_GROUPS))
    rows = _rows(
        kg,
        """SELECT DISTINCT ?s ?date ?prop WHERE {
          VALUES ?prop { canus:date canus:startDate }
          ?s ?prop ?date . }""",
    )
    themes = _by_subject(kg, ONTOLOGY + "theme")
    countries = {r["c"] for r in _rows(kg, "SELECT ?c WHERE { ?c a canus:Country }")}
    near = _neighbours(kg)
    items: dict[str, Node] = {}
    for row in rows:
        subject, group = row["s"], groups.get(row["s"])
        if group is None or (subject in items and row["prop"].endswith("startDate")):
            continue
        linked = near.get(subject, set())
        item_themes = set(themes.get(subject, ())) | {t for n in linked for t in themes.get(n, ())}
        item_countries = {c for c in linked if c in countries} | {
            c for n in linked if n not in countries for c in near.get(n, ()) if c in countries
        }
        items[subject] = {
            "date": row["date"],
            "x": year_of(row["date"]),
            "group": group,
            "href": names.link(subject),
            "en": names.en(subject),
            "fr": names.fr(subject),
            "themes": sorted(item_themes),
            "countries": sorted(item_countries),
        }
    ordered = sorted(items.values(), key=lambda i: (i["x"], i["en"]))
    used_themes = sorted({t for i in ordered for t in i["themes"]}, key=names.en)
    used_countries = sorted({c for i in ordered for c in i["countries"]}, key=names.en)
    return {
        "items": ordered,
        "groups": [
            {"id": g, "en": en, "fr": fr}
            for g, en, fr in TIMELINE_GROUPS
            if any(i["group"] == g for i in ordered)
        ],
        "themes": [{"id": t, "en": names.en(t), "fr": names.fr(t)} for t in used_themes],
        "countries": [{"id": c, "en": names.en(c), "fr": names.fr(c)} for c in used_countries],
    }


def _by_subject(kg: KnowledgeGraph, predicate: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for quad in kg.store.quads_for_pattern(None, ox.NamedNode(predicate), None):
        out[quad.subject.value].append(quad.object.value)
    return out


#: Network groups: who works with whom.
NETWORK_GROUPS = (
    ("Country", "Countries", "Pays"),
    ("Agency", "Agencies", "Organismes"),
    ("Command", "Commands", "Commandements"),
    ("Program", "Programs", "Programmes"),
    ("MilitaryOperation", "Operations", "Opérations"),
    ("Agreement", "Agreements", "Accords"),
    ("Organization", "Organizations", "Organisations"),
)


def network(kg: KnowledgeGraph, names: Names) -> Node:
    """Agencies, countries, commands, programs, operations, agreements and organizations, and
    the links between them: a direct property, or a membership (member — organization)."""
    groups = _groups(kg, tuple(g[0] for g in NETWORK_GROUPS))
    edges: dict[tuple[str, str], set[str]] = defaultdict(set)
    for quad in kg.store:
        s, p, o = quad.subject.value, quad.predicate.value, quad.object
        if isinstance(o, ox.NamedNode) and s in groups and o.value in groups and s != o.value:
            edges[(s, o.value)].add(p)
    members = _rows(
        kg,
        f"""SELECT DISTINCT ?a ?b WHERE {{ ?m <{ORG}member> ?a ; <{ORG}organization> ?b }}""",
    )
    for row in members:
        if row["a"] in groups and row["b"] in groups:
            edges[(row["a"], row["b"])].add(ORG + "memberOf")
    used = {n for pair in edges for n in pair}
    acronyms = _by_subject(kg, SKOS + "altLabel")
    nodes = [
        {
            "id": iri,
            "alt": sorted(set(acronyms.get(iri, []))),
            "group": groups[iri],
            "href": names.link(iri),
            "en": names.en(iri),
            "fr": names.fr(iri),
        }
        for iri in sorted(used)
    ]
    index = {n["id"]: i for i, n in enumerate(nodes)}
    links = [
        {
            "source": index[a],
            "target": index[b],
            "en": ", ".join(sorted(_prop_label(names, p, "en") for p in props)),
            "fr": ", ".join(sorted(_prop_label(names, p, "fr") for p in props)),
        }
        for (a, b), props in sorted(edges.items())
    ]
    return {
        "nodes": nodes,
        "links": links,
        "groups": [
            {"id": g, "en": en, "fr": fr}
            for g, en, fr in NETWORK_GROUPS
            if any(n["group"] == g for n in nodes)
        ],
    }


def _prop_label(names: Names, iri: str, lang: str) -> str:
    if iri == ORG + "memberOf":
        return "member of" if lang == "en" else "membre de"
    return names.en(iri) if lang == "en" else names.fr(iri)


def coverage(kg: KnowledgeGraph, names: Names, oldest: int = 20) -> Node:
    """Things per class and the share with a French label, descriptions and sources; things
    with a single source; the sources behind the oldest dated facts."""
    rows = _rows(
        kg,
        f"""PREFIX dcterms: <{DCTERMS}>
        SELECT ?s ?class
          (EXISTS {{ ?s rdfs:label ?fr FILTER(LANG(?fr) = "fr") }} AS ?frLabel)
          (EXISTS {{ ?s dcterms:description ?d FILTER(LANG(?d) = "en") }} AS ?enDesc)
          (EXISTS {{ ?s dcterms:description ?e FILTER(LANG(?e) = "fr") }} AS ?frDesc)
          (COUNT(DISTINCT ?src) AS ?sources)
        WHERE {{
          ?s a ?class .
          FILTER(STRSTARTS(STR(?s), "{ID}") && STRSTARTS(STR(?class), "{ONTOLOGY}"))
          FILTER(?class != canus:SourceDocument)
          OPTIONAL {{ ?s dcterms:source ?src }}
        }} GROUP BY ?s ?class""",
    )
    per_class: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        per_class[row["class"]].append(row)

    def share(items: list[dict[str, str]], key: str) -> float:
        return sum(r[key] == "true" for r in items) / len(items)

    classes = [
        {
            "node": names.node(cls),
            "things": len(items),
            "fr_label": share(items, "frLabel"),
            "en_description": share(items, "enDesc"),
            "fr_description": share(items, "frDesc"),
            "sourced": sum(int(r["sources"]) > 0 for r in items) / len(items),
        }
        for cls, items in sorted(per_class.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    ]
    single = sorted(
        {r["s"] for r in rows if int(r["sources"]) == 1}, key=lambda s: names.en(s).lower()
    )
    dated = _rows(
        kg,
        f"""PREFIX dcterms: <{DCTERMS}>
        SELECT ?src (MIN(STR(?date)) AS ?first) (SAMPLE(?s) AS ?fact) WHERE {{
          ?s dcterms:source ?src .
          VALUES ?p {{ canus:date canus:startDate canus:asOf }}
          ?s ?p ?date .
        }} GROUP BY ?src""",
    )
    dated.sort(key=lambda r: (year_of(r["first"]), r["src"]))
    total = len(rows) or 1
    return {
        "classes": classes,
        "things": len(rows),
        "overall": {
            "fr_label": sum(r["frLabel"] == "true" for r in rows) / total,
            "en_description": sum(r["enDesc"] == "true" for r in rows) / total,
            "fr_description": sum(r["frDesc"] == "true" for r in rows) / total,
            "sourced": sum(int(r["sources"]) > 0 for r in rows) / total,
        },
        "single_source": [names.node(s) for s in single],
        "oldest_sources": [
            {"date": r["first"], "source": names.node(r["src"]), "fact": names.node(r["fact"])}
            for r in dated[:oldest]
        ],
    }


_DOMAIN = (RDFS + "domain", SCHEMA + "domainIncludes")
_RANGE = (RDFS + "range", SCHEMA + "rangeIncludes")


def ontology_terms(kg: KnowledgeGraph, names: Names, examples: int = 3) -> Node:
    """Every canus class and property: labels and definitions in both languages, domain and
    range, parents and children, how often the data uses it, and a few examples from it."""
    facts: dict[str, dict[str, list[ox.NamedNode | ox.Literal]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for quad in kg.store:
        if isinstance(quad.subject, ox.NamedNode) and quad.subject.value.startswith(ONTOLOGY):
            facts[quad.subject.value][quad.predicate.value].append(quad.object)
    classes, properties = [], []
    children: dict[str, list[str]] = defaultdict(list)
    for term, props in facts.items():
        for parent in props.get(RDFS + "subClassOf", []) + props.get(RDFS + "subPropertyOf", []):
            children[parent.value].append(term)
    for term in sorted(facts):
        props = facts[term]
        kinds = {o.value for o in props.get(RDF + "type", [])}

        def texts(predicates: tuple[str, ...], props=props) -> list[Node]:
            out = [
                {"value": o.value, "lang": o.language or ""}
                for p in predicates
                for o in props.get(p, [])
                if isinstance(o, ox.Literal)
            ]
            return sorted(out, key=lambda t: (t["lang"] != "en", t["lang"], t["value"]))

        def nodes(predicates: tuple[str, ...], props=props) -> list[Node]:
            found = {o.value for p in predicates for o in props.get(p, [])}
            return [names.node(i) for i in sorted(found, key=names.en)]

        entry = {
            "node": names.node(term),
            "local": term[len(ONTOLOGY) :],
            "labels": texts((RDFS + "label",)),
            "definitions": texts((SKOS + "definition", DCTERMS + "description", RDFS + "comment")),
            "parents": nodes((RDFS + "subClassOf", RDFS + "subPropertyOf")),
            "children": [names.node(c) for c in sorted(children.get(term, []), key=names.en)],
            "domain": nodes(_DOMAIN),
            "range": nodes(_RANGE),
            "deprecated": any(o.value == "true" for o in props.get(OWL + "deprecated", [])),
            "used_by": [],
        }
        if kinds & {OWL + "Class", RDFS + "Class"}:
            entry["kind"] = "class"
            entry.update(_class_usage(kg, names, term, examples))
            classes.append(entry)
        elif kinds & {OWL + "ObjectProperty", OWL + "DatatypeProperty", RDF + "Property"}:
            entry["kind"] = "property"
            entry.update(_property_usage(kg, names, term, examples))
            properties.append(entry)
    for entry in classes:
        entry["used_by"] = [
            p["node"]
            for p in properties
            if any(d["iri"] == entry["node"]["iri"] for d in p["domain"])
        ]
    key = lambda e: e["node"]["en"].lower()  # noqa: E731
    return {"classes": sorted(classes, key=key), "properties": sorted(properties, key=key)}


def _class_usage(kg: KnowledgeGraph, names: Names, term: str, limit: int) -> Node:
    members = sorted(
        {
            q.subject.value
            for q in kg.store.quads_for_pattern(
                None, ox.NamedNode(RDF + "type"), ox.NamedNode(term)
            )
            if isinstance(q.subject, ox.NamedNode)
        }
    )
    chosen = sorted(members, key=lambda s: names.en(s).lower())[:limit]
    return {"count": len(members), "examples": [{"subject": names.node(s)} for s in chosen]}


def _property_usage(kg: KnowledgeGraph, names: Names, term: str, limit: int) -> Node:
    seen = set()
    uses = []
    for quad in kg.store.quads_for_pattern(None, ox.NamedNode(term), None):
        key = (quad.subject.value, str(quad.object))
        if key in seen or not isinstance(quad.subject, ox.NamedNode):
            continue
        seen.add(key)
        uses.append(quad)
    uses.sort(key=lambda q: (names.en(q.subject.value).lower(), str(q.object)))
    examples = []
    for quad in uses[:limit]:
        obj = quad.object
        example: Node = {"subject": names.node(quad.subject.value)}
        if isinstance(obj, ox.NamedNode):
            example["object"] = names.node(obj.value)
        else:
            example["value"] = obj.value
            example["lang"] = getattr(obj, "language", "") or ""
        examples.append(example)
    return {"count": len(uses), "examples": examples}


def ontology_term_iris(kg: KnowledgeGraph) -> set[str]:
    """The canus classes and properties (each gets a page of its own)."""
    kinds = (OWL + "Class", RDFS + "Class", OWL + "ObjectProperty", OWL + "DatatypeProperty")
    found = set()
    for kind in (*kinds, RDF + "Property"):
        for quad in kg.store.quads_for_pattern(
            None, ox.NamedNode(RDF + "type"), ox.NamedNode(kind)
        ):
            if quad.subject.value.startswith(ONTOLOGY):
                found.add(quad.subject.value)
    return found
