"""The static site (``dist/site``): a page per thing and per ontology term, the timeline, the
network, search, the in-browser query page, coverage and downloads, with "cite this" on each.

Pages link to each other by relative paths ending in ``.html`` and load their data as scripts
(``data/*.js``), never with ``fetch``: the site works opened from disk (``file://``) and from
any static host, and makes no network request. A thing's page shows what the thing's page of
``canus serve`` shows: both are made from :func:`canus.web._pages.thing_view`, with the serve
pages' macros; the site's own templates live in ``canus/site/templates``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from canus._load import KnowledgeGraph
from canus._namespaces import ID, ONTOLOGY, ONTOLOGY_IRI, RDF
from canus._query import SavedQuery, catalog
from canus._sparql import with_values
from canus.site._cite import citation
from canus.site._describe import Release
from canus.site._diagram import diagram
from canus.site._jsonld import Compactor
from canus.site._release import MEDIA_TYPES
from canus.site._vendor import oxigraph_files
from canus.site._views import (
    Names,
    coverage,
    network,
    ontology_term_iris,
    ontology_terms,
    timeline,
)
from canus.web import EXAMPLE
from canus.web._pages import Labeller, all_slugs, ontology_view, search_index, thing_view
from canus.web._render import STATIC as WEB_STATIC

RDF_TYPE = RDF + "type"
HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
WEB_TEMPLATES = HERE.parent / "web" / "templates"
STATIC = HERE / "static"
#: Where the site is published: a w3id.org redirect to the static host (see w3id.htaccess).
SITE_IRI = "https://w3id.org/canus/site/"


def _js(name: str, value: object) -> bytes:
    """A data script: ``window.NAME = <json>;`` (loads from file:// where fetch cannot)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return f"window.{name} = {text};\n".encode()


class Site:
    """Renders every page of the site for one release of ``kg``."""

    def __init__(self, kg: KnowledgeGraph, release: Release, downloads: dict[str, bytes]):
        self.kg = kg
        self.release = release
        self.downloads = downloads
        self.slugs = set(all_slugs(kg))
        self.queries: list[SavedQuery] = catalog(kg)
        self.terms_with_pages = ontology_term_iris(kg)

    # ---- links --------------------------------------------------------------------------
    def path(self, iri: str) -> str | None:
        """The page of ``iri``, relative to the site root, or None if the site has none."""
        if iri.startswith(ID) and iri[len(ID) :] in self.slugs:
            return f"id/{iri[len(ID) :]}.html"
        if iri.startswith(ONTOLOGY) and iri in self.terms_with_pages:
            return f"ontology/{iri[len(ONTOLOGY) :]}.html"
        if iri == ONTOLOGY_IRI:
            return "ontology/index.html"
        return None

    def linker(self, base: str) -> Callable[[str], str]:
        """Links from a page whose root is ``base`` ("." or ".."): a page, else the IRI."""

        def link(iri: str) -> str:
            found = self.path(iri)
            return f"{base}/{found}" if found else iri

        return link

    @cached_property
    def env(self) -> Any:
        import jinja2

        return jinja2.Environment(
            # the site's own templates, then canus serve's (the shared body of a thing's page)
            loader=jinja2.FileSystemLoader([str(TEMPLATES), str(WEB_TEMPLATES)]),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            undefined=jinja2.StrictUndefined,
        )

    @cached_property
    def vendored(self) -> dict[str, bytes]:
        """Oxigraph's browser build for the query page; empty when npm's package is missing."""
        return oxigraph_files(self.kg.root)

    def render(self, template: str, base: str, title: str, url: str, **context: Any) -> bytes:
        """A page from ``template``; ``base`` leads back to the site root, ``title`` and ``url``
        are what "cite this" cites."""
        key = url.rsplit("/", 1)[-1].removesuffix(".html") or "canus"
        cite = citation(title, url, self.release.version, self.release.date, key)
        page = self.env.get_template(template).render(
            base=base, release=self.release, cite=cite, **context
        )
        return page.encode("utf-8")

    # ---- pages --------------------------------------------------------------------------
    def files(self) -> dict[str, bytes]:
        """Every file of the site, by path relative to ``site/``."""
        kg = self.kg
        terms = ontology_terms(kg, Names(kg, self.linker("..")))
        root_names = Names(kg, lambda iri: self.path(iri) or iri)
        out: dict[str, bytes] = {}
        out.update(self._static())
        out.update(self._things())
        out.update(self._ontology(terms))
        out.update(self._home(root_names))
        out.update(self._timeline(root_names))
        out.update(self._network(root_names))
        out.update(self._query())
        out.update(self._coverage())
        out.update(self._downloads())
        return out

    def _static(self) -> dict[str, bytes]:
        out = {}
        for name in ("canus.css", "favicon.svg"):
            out[f"static/{name}"] = (WEB_STATIC / name).read_bytes()
        for path in sorted(STATIC.iterdir()):
            if path.is_file():
                out[f"static/{path.name}"] = path.read_bytes()
        out.update(self.vendored)
        return out

    def _things(self) -> dict[str, bytes]:
        out = {}
        link = self.linker("..")
        names = Labeller(self.kg, link)  # one label cache for every page
        context = json.loads((self.downloads["context.jsonld"]).decode("utf-8"))["@context"]
        compactor = Compactor(context)
        prefixes = dict(sorted(self.kg.prefixes.items()))
        for slug in sorted(self.slugs):
            iri = ID + slug
            view = thing_view(self.kg, iri, self.queries, link, names=names)
            if view is None:
                continue
            out[f"id/{slug}.html"] = self.render(
                "site_thing.html", "..", view["node"]["en"], iri, thing=view, slug=slug
            )
            triples = sorted(
                {q.triple for q in self.kg.store.quads_for_pattern(ox.NamedNode(iri), None, None)},
                key=str,
            )
            used = {p: ns for p, ns in prefixes.items() if any(ns in str(t) for t in triples)}
            out[f"id/{slug}.ttl"] = (
                ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=used) or b""
            )
            node = compactor.node(iri, triples)
            out[f"id/{slug}.jsonld"] = compactor.document([node], compactor.used_context([node]))
        return out

    def _ontology(self, terms: dict) -> dict[str, bytes]:
        header = ontology_view(self.kg, self.linker(".."))
        out = {
            "ontology/index.html": self.render(
                "site_ontology.html",
                "..",
                "canus ontology",
                ONTOLOGY_IRI,
                ontology=header,
                terms=terms,
                diagram=diagram(terms, self.linker("..")),
            )
        }
        for term in terms["classes"] + terms["properties"]:
            out[f"ontology/{term['local']}.html"] = self.render(
                "site_term.html", "..", term["node"]["en"], term["node"]["iri"], term=term
            )
        return out

    def _home(self, names: Names) -> dict[str, bytes]:
        index = search_index(self.kg, lambda iri: self.path(iri) or iri)
        groups: dict[str, list] = {}
        for quad in self.kg.store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), None):
            s, o = quad.subject.value, quad.object.value
            if s.startswith(ID) and o.startswith(ONTOLOGY) and s[len(ID) :] in self.slugs:
                groups.setdefault(o, []).append(s)
        by_kind = [
            {
                "node": names.node(kind),
                "things": sorted(
                    (names.node(s) for s in set(members)), key=lambda n: n["en"].lower()
                ),
            }
            for kind, members in sorted(groups.items(), key=lambda kv: names.en(kv[0]))
        ]
        stats = {"things": len(index), "triples": len(set(q.triple for q in self.kg.store))}
        return {
            "data/search.js": _js("CANUS_SEARCH", index),
            "index.html": self.render(
                "site_home.html", ".", "canus", SITE_IRI, stats=stats, groups=by_kind
            ),
        }

    def _timeline(self, names: Names) -> dict[str, bytes]:
        data = timeline(self.kg, names)
        return {
            "data/timeline.js": _js("CANUS_TIMELINE", data),
            "timeline.html": self.render(
                "site_timeline.html", ".", "Timeline", SITE_IRI + "timeline.html", timeline=data
            ),
        }

    def _network(self, names: Names) -> dict[str, bytes]:
        data = network(self.kg, names)
        return {
            "data/network.js": _js("CANUS_NETWORK", data),
            "network.html": self.render(
                "site_network.html", ".", "Network", SITE_IRI + "network.html", network=data
            ),
        }

    def _query(self) -> dict[str, bytes]:
        texts = {}
        for saved in self.queries:
            try:
                text = with_values(saved.text, saved.bind({}, self.kg.prefixes))
            except Exception:  # a required parameter, or nothing to bind into: left unbound
                text = saved.text
            texts[saved.name] = {
                "text": text,
                "title": saved.title,
                "description": saved.description,
            }
        sparql = bool(self.vendored)
        out = {
            "data/queries.js": _js("CANUS_QUERIES", texts)
            + _js("CANUS_PREFIXES", dict(sorted(self.kg.prefixes.items())))
            + _js("CANUS_ID", ID)
            + _js("CANUS_PAGES", {slug: 1 for slug in sorted(self.slugs)}),
            "query.html": self.render(
                "site_query.html",
                ".",
                "Query",
                SITE_IRI + "query.html",
                queries=self.queries,
                example=EXAMPLE,
                sparql=sparql,
            ),
        }
        if sparql:
            nquads = self.downloads["canus.nq"].decode("utf-8")
            out["data/graph.js"] = _js("CANUS_NQUADS", nquads)
        return out

    def _coverage(self) -> dict[str, bytes]:
        data = coverage(self.kg, Names(self.kg, lambda iri: self.path(iri) or iri))
        return {
            "coverage.html": self.render(
                "site_coverage.html", ".", "Coverage", SITE_IRI + "coverage.html", coverage=data
            )
        }

    def _downloads(self) -> dict[str, bytes]:
        files = [
            {
                "path": path,
                "size": len(data),
                "media_type": MEDIA_TYPES.get("." + path.rsplit(".", 1)[-1], ""),
            }
            for path, data in sorted(self.downloads.items())
        ]
        return {
            "downloads.html": self.render(
                "site_downloads.html", ".", "Downloads", SITE_IRI + "downloads.html", files=files
            )
        }
