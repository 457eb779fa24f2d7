"""JSON-LD that JSON users can read: a context of plain terms, and documents compacted with it.

The context gives every predicate of the graph a short term (``label``, ``country``,
``startDate``) and says how its values look, so a JSON reader gets plain values:

* IRIs (``country``) are coerced with ``"@type": "@id"``: ``"country": ["id:canada"]``;
* language-tagged texts (``label``) are language maps: ``"label": {"en": "…", "fr": "…"}``;
* literals of one datatype are coerced with that datatype: ``"value": ["52"]``;
* a predicate whose values are mixed keeps full value objects, so nothing is lost.

What each predicate holds is read from the data itself, so the context always fits the release.
The compaction is written here, not by a JSON-LD processor, so output is fast and byte-stable.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable

import pyoxigraph as ox

from canus._load import KnowledgeGraph
from canus._namespaces import RDF, XSD, shorten

#: Where the context is published (a w3id.org redirect to the release's context.jsonld).
CONTEXT_IRI = "https://w3id.org/canus/context.jsonld"
_STRING = XSD + "string"
_LANG_STRING = RDF + "langString"


def _local(iri: str) -> str:
    for sep in ("#", "/"):
        if sep in iri:
            iri = iri.rsplit(sep, 1)[1]
    return iri


def _kind(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> str:
    """What a value looks like: ``@id``, ``@language``, or its datatype IRI."""
    if isinstance(term, ox.Literal):
        return "@language" if term.language else term.datatype.value
    return "@id"


def build_context(kg: KnowledgeGraph) -> dict:
    """The ``@context`` object (not wrapped) for ``kg``: prefixes, then a term per predicate and
    per class, each term its IRI's local name (prefixed when two IRIs share a local name)."""
    kinds: dict[str, set[str]] = defaultdict(set)
    classes: set[str] = set()
    for quad in kg.store:
        predicate = quad.predicate.value
        if predicate == RDF + "type":
            if isinstance(quad.object, ox.NamedNode):
                classes.add(quad.object.value)
            continue
        kinds[predicate].add(_kind(quad.object))
    prefixes = dict(sorted(kg.prefixes.items()))
    terms: dict[str, object] = {}
    names = _term_names([*kinds, *classes], prefixes)
    for predicate in sorted(kinds):
        if predicate not in names:
            continue  # under no prefix: written in full, its values as value objects
        found = kinds[predicate]
        definition: dict[str, object] = {"@id": shorten(predicate, prefixes) or predicate}
        if found == {"@id"}:
            definition["@type"] = "@id"
            definition["@container"] = "@set"
        elif found == {"@language"}:
            definition["@container"] = "@language"
        elif len(found) == 1 and next(iter(found)) not in (_STRING, _LANG_STRING):
            definition["@type"] = shorten(next(iter(found)), prefixes) or next(iter(found))
            definition["@container"] = "@set"
        elif found == {_STRING}:
            definition["@container"] = "@set"
        else:
            definition["@container"] = "@set"  # mixed: values stay full value objects
        terms[names[predicate]] = definition
    for cls in sorted(c for c in classes if c in names):
        terms[names[cls]] = shorten(cls, prefixes) or cls
    context: dict[str, object] = {"@version": 1.1}
    context.update(prefixes)
    context.update(dict(sorted(terms.items())))
    return context


def _term_names(iris: Iterable[str], prefixes: dict[str, str]) -> dict[str, str]:
    """A term per IRI under a known prefix: its local name, or ``prefix_local`` when local
    names clash. An IRI under no prefix gets no term: it stays a full IRI as a key."""
    by_local: dict[str, list[str]] = defaultdict(list)
    for iri in sorted(set(iris)):
        if shorten(iri, prefixes) is not None:
            by_local[_local(iri)].append(iri)
    names = {}
    for local, group in by_local.items():
        for iri in group:
            if len(group) == 1 and local not in prefixes and not local.startswith("@"):
                names[iri] = local
            else:
                short = shorten(iri, prefixes) or iri
                names[iri] = short.replace(":", "_", 1)
    return names


class Compactor:
    """Turns triples into compact JSON-LD nodes with a context from :func:`build_context`."""

    def __init__(self, context: dict) -> None:
        self.context = context
        self.prefixes = {
            k: v
            for k, v in context.items()
            if isinstance(v, str) and not k.startswith("@") and v.endswith(("#", "/"))
        }
        self.by_iri: dict[str, tuple[str, dict]] = {}
        self.classes: dict[str, str] = {}
        for term, definition in context.items():
            if isinstance(definition, dict):
                self.by_iri[self._expand(definition["@id"])] = (term, definition)
            elif isinstance(definition, str) and term not in self.prefixes and term[0] != "@":
                self.classes[self._expand(definition)] = term

    def _expand(self, name: str) -> str:
        prefix, _, local = name.partition(":")
        return self.prefixes[prefix] + local if prefix in self.prefixes else name

    def short(self, iri: str) -> str:
        """``id:norad`` for an IRI under a prefix of the context, else the IRI."""
        return shorten(iri, self.prefixes) or iri

    def node(self, subject: str, triples: Iterable[ox.Triple]) -> dict:
        """One node object: ``@id``, ``@type`` (class terms), then a key per predicate."""
        out: dict[str, object] = {"@id": self.short(subject)}
        types: list[str] = []
        values: dict[str, list] = defaultdict(list)
        for triple in triples:
            predicate, obj = triple.predicate.value, triple.object
            if predicate == RDF + "type" and isinstance(obj, ox.NamedNode):
                types.append(self.classes.get(obj.value) or self.short(obj.value))
                continue
            term, definition = self.by_iri.get(predicate, (self.short(predicate), {}))
            values[term].append((definition, obj))
        if types:
            out["@type"] = sorted(set(types))
        for term in sorted(values):
            out[term] = self._values(values[term])
        return out

    def _values(self, pairs: list[tuple[dict, object]]) -> object:
        definition = pairs[0][0]
        if definition.get("@container") == "@language":
            by_lang: dict[str, list[str]] = defaultdict(list)
            for _, obj in pairs:
                by_lang[obj.language].append(obj.value)  # type: ignore[union-attr]
            return {
                lang: sorted(texts) if len(texts) > 1 else texts[0]
                for lang, texts in sorted(by_lang.items())
            }
        coerced = definition.get("@type")
        items = []
        for _, obj in pairs:
            if coerced == "@id":
                items.append(self.short(obj.value))  # type: ignore[union-attr]
            elif coerced:
                items.append(obj.value)  # type: ignore[union-attr]
            else:
                items.append(self._value_object(obj))
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))

    def _value_object(self, obj: object) -> object:
        if isinstance(obj, ox.NamedNode):
            return {"@id": self.short(obj.value)}
        if isinstance(obj, ox.BlankNode):
            return {"@id": f"_:{obj.value}"}
        assert isinstance(obj, ox.Literal)
        if obj.language:
            return {"@value": obj.value, "@language": obj.language}
        if obj.datatype.value == _STRING:
            return obj.value
        return {"@value": obj.value, "@type": self.short(obj.datatype.value)}

    def document(self, nodes: list[dict], context: object | None = None) -> bytes:
        """``{"@context": …, "@graph": nodes}`` as stable, indented UTF-8 JSON."""
        doc = {"@context": self.context if context is None else context, "@graph": nodes}
        text = json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=False)
        return (text + "\n").encode("utf-8")

    def used_context(self, nodes: list[dict]) -> dict:
        """The part of the context that ``nodes`` use: every prefix, and their terms."""
        used: set[str] = set()
        for node in nodes:
            used.update(k for k in node if not k.startswith("@"))
            used.update(t for t in node.get("@type", []) if t in self.context)
        return {
            k: v
            for k, v in self.context.items()
            if k.startswith("@") or k in self.prefixes or k in used
        }


def subjects(kg: KnowledgeGraph) -> dict[str, list[ox.Triple]]:
    """The distinct triples of the union, grouped by subject (IRIs and blank nodes)."""
    grouped: dict[str, dict[tuple, ox.Triple]] = defaultdict(dict)
    for quad in kg.store:
        triple = quad.triple
        key = (str(triple.predicate), str(triple.object))
        grouped[triple.subject.value][key] = triple
    return {s: [t for _, t in sorted(g.items())] for s, g in sorted(grouped.items())}


def graph_document(kg: KnowledgeGraph, context: dict) -> bytes:
    """The whole graph as compact JSON-LD with ``context`` inline (it parses with no network)."""
    compactor = Compactor(context)
    nodes = [compactor.node(s, triples) for s, triples in subjects(kg).items()]
    nodes.sort(key=lambda n: n["@id"])
    return compactor.document(nodes)


def context_document(context: dict) -> bytes:
    """The context file published at :data:`CONTEXT_IRI`."""
    return (json.dumps({"@context": context}, ensure_ascii=False, indent=1) + "\n").encode()
