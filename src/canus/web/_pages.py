"""What a page shows, as plain data: a thing or an ontology term, the home page, the search index.

The web server renders these with the Jinja2 templates in ``templates/``; a static site build can
render the same data with the same templates and its own ``link`` function.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

import pyoxigraph as ox
from markupsafe import Markup

from canus._load import KnowledgeGraph
from canus._namespaces import DCTERMS, ID, ONTOLOGY, OWL, RDF, RDFS, SKOS, XSD
from canus._query import SavedQuery

Link = Callable[[str], str]
Node = dict[str, Any]

CANUS_DATE = ONTOLOGY + "date"
# The dates that put a node on a timeline: an event's day, a figure's "as of".
EVENT_DATES = (CANUS_DATE, ONTOLOGY + "asOf")
CANUS_URL = ONTOLOGY + "url"
SOURCE = DCTERMS + "source"
LABEL = RDFS + "label"
ALT_LABEL = SKOS + "altLabel"
DESCRIPTIONS = (DCTERMS + "description", SKOS + "definition")
NOTE = SKOS + "editorialNote"
TYPE = RDF + "type"
# Shown in their own sections, not in the list of facts.
_OWN_SECTION = {TYPE, LABEL, ALT_LABEL, SOURCE, NOTE, *DESCRIPTIONS}
MAX_LINKS = 60  # per property, on a page; the rest are counted


def web_path(iri: str) -> str | None:
    """The path where this server answers for a canus IRI (``/id/norad``), else None."""
    if iri.startswith(ID):
        slug = iri[len(ID) :]
        return "/id/" + slug if _SLUG.fullmatch(slug) else None
    if iri.startswith(ONTOLOGY):
        term = iri[len(ONTOLOGY) :]
        return "/ontology/" + term if _TERM.fullmatch(term) else None
    if iri == ONTOLOGY.rstrip("#"):
        return "/ontology"
    return None


_SLUG = re.compile(r"[a-z0-9][a-z0-9_-]*")
_TERM = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


def serve_link(iri: str) -> str:
    """Links as the server serves them: canus IRIs to local paths, others unchanged."""
    return web_path(iri) or iri


def distinct_triples(
    kg: KnowledgeGraph, subject: str, predicate: str | None = None
) -> list[ox.Quad]:
    """The distinct triples of ``subject`` (and ``predicate``) across every file's graph, as
    quads in store order."""
    seen = set()
    out = []
    pattern = kg.store.quads_for_pattern(
        ox.NamedNode(subject), None if predicate is None else ox.NamedNode(predicate), None
    )
    for quad in pattern:
        key = (quad.predicate, quad.object)
        if key not in seen:
            seen.add(key)
            out.append(quad)
    return out


class Labeller:
    """English and French labels of IRIs, looked up once each."""

    def __init__(self, kg: KnowledgeGraph, link: Link) -> None:
        self.kg = kg
        self.link = link
        self._cache: dict[str, Node] = {}

    def node(self, iri: str) -> Node:
        """``{iri, href, en, fr, short}``: a link to ``iri`` with its labels in both languages."""
        found = self._cache.get(iri)
        if found is None:
            labels: dict[str, str] = {}
            for quad in self.kg.store.quads_for_pattern(
                ox.NamedNode(iri), ox.NamedNode(LABEL), None
            ):
                obj = quad.object
                if isinstance(obj, ox.Literal):
                    labels.setdefault(obj.language or "", obj.value)
            short = self.kg.compact(iri)
            en = labels.get("en") or labels.get("") or labels.get("fr") or short
            fr = labels.get("fr") or en
            href = self.link(iri)
            found = {"iri": iri, "href": href, "en": en, "fr": fr, "short": short}
            found["name"] = _name_html(en, fr)
            found["link"] = Markup('<a href="{}" title="{}">{}</a>').format(
                href, short, found["name"]
            )
            self._cache[iri] = found
        return found


def _name_html(en: str, fr: str) -> Markup:
    """A name in both languages; the page's language switch shows one of them."""
    if en == fr:
        return Markup('<span lang="en">{}</span>').format(en)
    return Markup(
        '<span lang="en" class="l-en">{}</span><span lang="fr" class="l-fr">{}</span>'
    ).format(en, fr)


def _literal(term: ox.Literal, kg: KnowledgeGraph) -> Node:
    datatype = term.datatype.value if not term.language else ""
    return {
        "value": term.value,
        "lang": term.language or "",
        "datatype": kg.compact(datatype) if datatype and datatype != XSD + "string" else "",
        "url": term.value
        if datatype == XSD + "anyURI" and term.value.startswith(("http://", "https://"))
        else "",
    }


def _texts(quads: Iterable[ox.Quad]) -> list[Node]:
    out = []
    for quad in quads:
        if isinstance(quad.object, ox.Literal):
            out.append({"value": quad.object.value, "lang": quad.object.language or ""})
    return sorted(out, key=lambda t: (t["lang"] != "en", t["lang"], t["value"]))


def _once_each(texts: list[Node]) -> list[Node]:
    """Each name once: an acronym written alike in English and French ("NORAD") shows once."""
    seen: set[str] = set()
    out = []
    for text in texts:
        if text["value"] not in seen:
            seen.add(text["value"])
            out.append(text)
    return out


def thing_view(
    kg: KnowledgeGraph,
    iri: str,
    queries: list[SavedQuery],
    link: Link = serve_link,
    names: Labeller | None = None,
) -> Node | None:
    """Everything a thing's page shows; None when the graph says nothing about ``iri``.

    ``names`` may be a Labeller kept from page to page (the graph does not change).
    """
    quads = distinct_triples(kg, iri)
    inbound_quads = list(kg.store.quads_for_pattern(None, None, ox.NamedNode(iri)))
    if not quads and not inbound_quads:
        return None
    names = names or Labeller(kg, link)
    by_predicate: dict[str, list[ox.Quad]] = defaultdict(list)
    for quad in quads:
        by_predicate[quad.predicate.value].append(quad)

    facts = []
    for predicate in sorted(set(by_predicate) - _OWN_SECTION, key=lambda p: names.node(p)["en"]):
        values = []
        for quad in by_predicate[predicate]:
            obj = quad.object
            if isinstance(obj, ox.NamedNode):
                values.append({"node": names.node(obj.value)})
            elif isinstance(obj, ox.Literal):
                values.append({"literal": _literal(obj, kg)})
        values.sort(key=lambda v: v["node"]["en"] if "node" in v else v["literal"]["value"])
        facts.append({"predicate": names.node(predicate), "values": values})

    inbound: dict[str, set[str]] = defaultdict(set)
    for quad in inbound_quads:
        if isinstance(quad.subject, ox.NamedNode):
            inbound[quad.predicate.value].add(quad.subject.value)
    referenced = []
    for predicate in sorted(inbound, key=lambda p: names.node(p)["en"]):
        subjects = sorted(inbound[predicate])
        nodes = sorted((names.node(s) for s in subjects[:MAX_LINKS]), key=lambda n: n["en"])
        referenced.append(
            {
                "predicate": names.node(predicate),
                "subjects": nodes,
                "more": max(0, len(subjects) - MAX_LINKS),
            }
        )

    events = []
    for subject in sorted({s for subjects in inbound.values() for s in subjects}):
        for when in EVENT_DATES:
            for quad in distinct_triples(kg, subject, when):
                if isinstance(quad.object, ox.Literal):
                    events.append({"date": quad.object.value, "node": names.node(subject)})
    own_dates = [q for q in quads if q.predicate.value in EVENT_DATES]
    for quad in own_dates:
        events.append({"date": quad.object.value, "node": names.node(iri)})
    events.sort(key=lambda e: (e["date"], e["node"]["en"]))

    sources = []
    for quad in by_predicate.get(SOURCE, []):
        if isinstance(quad.object, ox.NamedNode):
            sources.append(source_view(kg, quad.object.value, names))
    sources.sort(key=lambda s: (s["title"] or s["node"]["en"]).lower())

    me = names.node(iri)
    kinds = [names.node(q.object.value) for q in by_predicate.get(TYPE, []) if q.object.value]
    return {
        "iri": iri,
        "node": me,
        "kinds": sorted(kinds, key=lambda n: n["en"]),
        "labels": _texts(by_predicate.get(LABEL, [])),
        "descriptions": _texts(q for p in DESCRIPTIONS for q in by_predicate.get(p, [])),
        "acronyms": _once_each(_texts(by_predicate.get(ALT_LABEL, []))),
        "notes": _texts(by_predicate.get(NOTE, [])),
        "facts": facts,
        "referenced": referenced,
        "events": events,
        "sources": sources,
        "queries": queries_mentioning(queries, iri, kg),
        "file": kg.defining_file(iri),
    }


def source_view(kg: KnowledgeGraph, iri: str, names: Labeller) -> Node:
    """A source document as a reference: title, link, publisher, language."""
    title = url = publisher = language = ""
    title_lang = ""
    for quad in distinct_triples(kg, iri):
        p, obj = quad.predicate.value, quad.object
        if not isinstance(obj, ox.Literal):
            continue
        if p == DCTERMS + "title" and not title:
            title, title_lang = obj.value, obj.language or ""
        elif p == CANUS_URL:
            url = obj.value
        elif p == DCTERMS + "publisher":
            publisher = obj.value
        elif p == DCTERMS + "language":
            language = obj.value
    return {
        "node": names.node(iri),
        "title": title,
        "title_lang": title_lang or language,
        "url": url if url.startswith(("http://", "https://")) else "",
        "publisher": publisher,
        "language": language,
    }


_ID_TOKEN = re.compile(r"\bid:([a-z0-9][a-z0-9_-]*)")
_FULL_IRI = re.compile(r"<(https://w3id\.org/canus/id/[^>\s]+)>")


def mentions(saved: SavedQuery) -> frozenset[str]:
    """The canus things a saved query names: in its text or as a parameter's default."""
    return _mentions(saved.text, tuple(p.default or "" for p in saved.params))


@functools.lru_cache(maxsize=1024)
def _mentions(text: str, defaults: tuple[str, ...]) -> frozenset[str]:
    found = {ID + slug for slug in _ID_TOKEN.findall(text)}
    found.update(_FULL_IRI.findall(text))
    for default in defaults:
        if default.startswith(ID):
            found.add(default)
        elif default.startswith("id:"):
            found.add(ID + default[3:])
    return frozenset(found)


def queries_mentioning(queries: list[SavedQuery], iri: str, kg: KnowledgeGraph) -> list[Node]:
    """The saved queries that name ``iri``, with the parameter to bind it to, if any."""
    out = []
    for saved in queries:
        if iri not in mentions(saved):
            continue
        param = next(
            (
                p.name
                for p in saved.params
                if p.type == "iri" and p.default in (iri, kg.compact(iri))
            ),
            None,
        )
        out.append({"name": saved.name, "title": saved.title, "param": param})
    return out


def ontology_view(kg: KnowledgeGraph, link: Link = serve_link) -> Node:
    """The ontology's own header and its terms (classes, then properties), for its page."""
    names = Labeller(kg, link)
    header = ONTOLOGY.rstrip("#")
    classes, properties = [], []
    kinds = {OWL + "Class": classes, RDFS + "Class": classes}
    for kind in (OWL + "ObjectProperty", OWL + "DatatypeProperty", RDF + "Property"):
        kinds[kind] = properties
    seen = set()
    for kind, bucket in kinds.items():
        for quad in kg.store.quads_for_pattern(None, ox.NamedNode(TYPE), ox.NamedNode(kind)):
            term = quad.subject.value if isinstance(quad.subject, ox.NamedNode) else ""
            if term.startswith(ONTOLOGY) and term not in seen:
                seen.add(term)
                definitions = _texts(q for p in DESCRIPTIONS for q in distinct_triples(kg, term, p))
                bucket.append({"node": names.node(term), "definitions": definitions})
    titles = _texts(distinct_triples(kg, header, DCTERMS + "title"))
    return {
        "iri": header,
        "titles": titles,
        "descriptions": _texts(q for p in DESCRIPTIONS for q in distinct_triples(kg, header, p)),
        "classes": sorted(classes, key=lambda t: t["node"]["en"]),
        "properties": sorted(properties, key=lambda t: t["node"]["en"]),
    }


def search_index(kg: KnowledgeGraph, link: Link = serve_link) -> list[Node]:
    """Every canus thing with its labels, acronyms and kind: what the home page searches."""
    names = Labeller(kg, link)
    things: dict[str, Node] = {}
    for quad in kg.store.quads_for_pattern(None, ox.NamedNode(TYPE), None):
        subject = quad.subject
        if not isinstance(subject, ox.NamedNode) or not subject.value.startswith(ID):
            continue
        kind = quad.object.value
        if kind == ONTOLOGY + "SourceDocument" or not kind.startswith(ONTOLOGY):
            continue
        entry = things.get(subject.value)
        if entry is None:
            node = names.node(subject.value)
            alt = [t["value"] for t in _texts(distinct_triples(kg, subject.value, ALT_LABEL))]
            kind_node = names.node(kind)
            entry = {
                "href": node["href"],
                "en": node["en"],
                "fr": node["fr"],
                "alt": alt,
                "kind": {"en": kind_node["en"], "fr": kind_node["fr"]},
            }
            things[subject.value] = entry
    return sorted(things.values(), key=lambda t: t["en"].lower())


def all_slugs(kg: KnowledgeGraph) -> list[str]:
    """The slug of every canus thing that is a subject in the graph."""
    slugs = set()
    for quad in kg.store.quads_for_pattern(None, ox.NamedNode(TYPE), None):
        if isinstance(quad.subject, ox.NamedNode) and quad.subject.value.startswith(ID):
            slugs.add(quad.subject.value[len(ID) :])
    return sorted(slugs)
