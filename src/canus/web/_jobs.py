"""The work done in query worker processes: SPARQL, saved queries, pages and linked data.

Every job returns a :class:`Reply` (status, media type, body, extra headers); errors a user can
fix are replies too (400, 404, 406), never exceptions.
"""

from __future__ import annotations

import difflib
import itertools
from dataclasses import dataclass, field

import pyoxigraph as ox

from canus._errors import CanusError
from canus._load import KnowledgeGraph
from canus._namespaces import ID, ONTOLOGY
from canus._query import SavedQuery
from canus._query import query as run_saved
from canus.web import _formats, _pages
from canus.web._negotiate import GRAPHS, PAGES, RESULTS, Format, by_name, negotiate
from canus.web._render import Renderer


@dataclass(frozen=True)
class Reply:
    """An HTTP answer made in a worker."""

    status: int
    media_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Limits:
    """How much one request may ask for."""

    max_rows: int = 100_000


@dataclass(frozen=True)
class SparqlJob:
    """A SPARQL query from the protocol endpoint."""

    text: str
    accept: str | None = None
    fmt: str | None = None
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class ApiJob:
    """A saved query run with parameters, answered as json or csv."""

    name: str
    params: dict[str, str] = field(default_factory=dict)
    fmt: str = "json"


@dataclass(frozen=True)
class PageJob:
    """A thing (``kind="thing"``), an ontology term (``"term"``) or the ontology itself."""

    kind: str
    key: str
    fmt: str = "html"


def text_reply(status: int, message: str) -> Reply:
    """A plain-text answer (errors)."""
    return Reply(status, "text/plain; charset=utf-8", (message.rstrip() + "\n").encode("utf-8"))


_TITLES = {"html": "HTML", "turtle": "Turtle", "jsonld": "JSON-LD", "nt": "N-Triples"}
_TITLES["rdfxml"] = "RDF/XML"
_CHARSET = {"html", "turtle", "nt", "csv", "tsv"}


def _media(fmt: Format) -> str:
    return fmt.media_type + ("; charset=utf-8" if fmt.name in _CHARSET else "")


class Jobs:
    """The job handler a worker runs: ``jobs(job) -> Reply``."""

    def __init__(
        self,
        kg: KnowledgeGraph,
        queries: list[SavedQuery],
        renderer: Renderer,
        limits: Limits,
    ) -> None:
        self.kg = kg
        self.queries = queries
        self.by_name = {q.name: q for q in queries}
        self.renderer = renderer
        self.limits = limits
        self._slugs: list[str] | None = None
        self.names = _pages.Labeller(kg, _pages.serve_link)  # kept: the graph never changes

    def __call__(self, job: object) -> Reply:
        if isinstance(job, SparqlJob):
            return self.sparql(job)
        if isinstance(job, ApiJob):
            return self.api(job)
        if isinstance(job, PageJob):
            return self.page(job)
        return text_reply(500, f"unknown job {type(job).__name__}")

    # -- SPARQL protocol ----------------------------------------------------------------
    def sparql(self, job: SparqlJob) -> Reply:
        """Run a query; answer in the negotiated format, at most ``max_rows`` rows/triples."""
        options: dict = {"prefixes": self.kg.prefixes}
        if job.default_graphs:
            options["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs]
        else:
            options["use_default_graph_as_union"] = True
        if job.named_graphs:
            options["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
        try:
            result = self.kg.store.query(job.text, **options)
            if isinstance(result, ox.QueryBoolean):
                fmt = self._format(job, RESULTS)
                if fmt is None:
                    return self._not_acceptable(RESULTS)
                return Reply(200, _media(fmt), _formats.write_ask(fmt.name, bool(result)))
            if isinstance(result, ox.QuerySolutions):
                fmt = self._format(job, RESULTS)
                if fmt is None:
                    return self._not_acceptable(RESULTS)
                variables = [v.value for v in result.variables]
                rows = [tuple(s) for s in itertools.islice(result, self.limits.max_rows + 1)]
                headers = self._truncate(rows)
                body = _formats.write_select(fmt.name, variables, rows)
                return Reply(200, _media(fmt), body, headers)
            fmt = self._format(job, GRAPHS)
            if fmt is None:
                return self._not_acceptable(GRAPHS)
            triples = list(itertools.islice(result, self.limits.max_rows + 1))
            headers = self._truncate(triples)
            return Reply(
                200, _media(fmt), _formats.write_graph(fmt.name, triples, self.kg.prefixes), headers
            )
        except SyntaxError as exc:
            return text_reply(400, f"malformed query: {exc}")
        except (OSError, RuntimeError, ValueError) as exc:
            return text_reply(400, f"query failed: {exc}")

    def _truncate(self, items: list) -> tuple[tuple[str, str], ...]:
        if len(items) <= self.limits.max_rows:
            return ()
        del items[self.limits.max_rows :]
        return (("X-Canus-Truncated", f"max-rows={self.limits.max_rows}"),)

    @staticmethod
    def _format(job: SparqlJob, choices: tuple[Format, ...]) -> Format | None:
        if job.fmt:
            return by_name(job.fmt, choices)
        return negotiate(job.accept, choices)

    @staticmethod
    def _not_acceptable(choices: tuple[Format, ...]) -> Reply:
        types = ", ".join(f.media_type for f in choices)
        return text_reply(406, f"no acceptable format; this result can be: {types}")

    # -- saved queries ------------------------------------------------------------------
    def api(self, job: ApiJob) -> Reply:
        """A saved query with typed parameters (as in the CLI), as SPARQL JSON or CSV."""
        if job.name not in self.by_name:
            return text_reply(404, f"unknown saved query {job.name!r}; the list is at /api")
        try:
            result = run_saved(self.kg, job.name, job.params)
        except CanusError as exc:
            return text_reply(400, str(exc))
        if job.fmt == "csv":
            return Reply(200, "text/csv; charset=utf-8", result.render("csv").encode("utf-8"))
        body = result.render("json").encode("utf-8")
        return Reply(200, "application/sparql-results+json", body)

    # -- pages and linked data ----------------------------------------------------------
    def page(self, job: PageJob) -> Reply:
        """A thing, a term or the ontology, as HTML or RDF."""
        if job.kind == "ontology":
            return self._ontology(job.fmt)
        iri = (ID if job.kind == "thing" else ONTOLOGY) + job.key
        path = _pages.web_path(iri) or "/"
        view = _pages.thing_view(self.kg, iri, self.queries, names=self.names)
        if view is None:
            return self.not_found(path, job.key if job.kind == "thing" else None)
        if job.fmt != "html":
            triples = [q.triple for q in _pages.distinct_triples(self.kg, iri)]
            return self._graph(job.fmt, triples)
        body = self.renderer.render("thing.html", thing=view, formats=self._links(path))
        return Reply(200, "text/html; charset=utf-8", body)

    def _ontology(self, fmt: str) -> Reply:
        if fmt != "html":
            graphs = [f.graph for f in self.kg.files if f.name.startswith("ontology/")]
            seen: set[ox.Triple] = set()
            triples = []
            for graph in graphs:
                for quad in self.kg.store.quads_for_pattern(None, None, None, ox.NamedNode(graph)):
                    if quad.triple not in seen:
                        seen.add(quad.triple)
                        triples.append(quad.triple)
            return self._graph(fmt, triples)
        view = _pages.ontology_view(self.kg)
        body = self.renderer.render(
            "ontology.html", ontology=view, formats=self._links("/ontology")
        )
        return Reply(200, "text/html; charset=utf-8", body)

    def _graph(self, fmt: str, triples: list[ox.Triple]) -> Reply:
        chosen = by_name(fmt, GRAPHS)
        assert chosen is not None
        return Reply(200, _media(chosen), _formats.write_graph(fmt, triples, self.kg.prefixes))

    @staticmethod
    def _links(path: str) -> list[dict[str, str]]:
        return [
            {"title": _TITLES[f.name], "media_type": f.media_type, "href": f"{path}.{f.suffix}"}
            for f in PAGES
            if f.name != "html"
        ]

    def not_found(self, path: str, slug: str | None = None) -> Reply:
        """The helpful 404 page: what was asked, and the closest known things."""
        suggestions = []
        if slug:
            if self._slugs is None:
                self._slugs = _pages.all_slugs(self.kg)
            close = difflib.get_close_matches(slug, self._slugs, n=5, cutoff=0.6)
            suggestions = [self.names.node(ID + s) for s in close]
        body = self.renderer.render("notfound.html", path=path, suggestions=suggestions)
        return Reply(404, "text/html; charset=utf-8", body)
