"""Saved queries (``queries/*.rq`` with a comment header) and running SPARQL, locally or remotely.

Parameters are bound as RDF terms: locally through Oxigraph's substitutions (SEP-0007), remotely
as a ``VALUES`` block opening the WHERE group, its terms serialized by the RDF library after
type checks. A SELECT query therefore projects each of its parameters.

Saved and ad-hoc queries see the same canus prefixes. Queries are read-only; ``SERVICE`` is off
unless allowed; ``FROM``/``FROM NAMED`` name the per-file graphs.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from canus import _worker
from canus._errors import ParameterError, QueryError, RemoteError
from canus._load import KnowledgeGraph, find_root
from canus._namespaces import PREFIXES
from canus._params import Param, guess_term, parse_param_line, to_term
from canus._remote import DEFAULT_TIMEOUT, Endpoint, run_remote
from canus._results import QueryResult
from canus._sparql import Shape, check_read_only, strip_bom, syntax_message, with_prefixes

_HEADER_KEYS = ("title", "description", "param", "tags")
Source = KnowledgeGraph | Endpoint | str


@dataclass
class SavedQuery:
    """A ``.rq`` file: its header (title, description, parameters, tags) and its SPARQL text."""

    name: str
    path: Path
    text: str
    title: str = ""
    description: str = ""
    params: list[Param] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)

    @classmethod
    def from_file(cls, path: Path, display: str | None = None) -> SavedQuery:
        """Read a saved query; a bad header line is a QueryError naming file and line."""
        display = display or str(path)
        try:
            text = strip_bom(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise QueryError(f"{display}: no such query file") from None
        except UnicodeDecodeError:
            raise QueryError(f"{display}: not UTF-8") from None
        except OSError as exc:
            raise QueryError(f"{display}: cannot read: {exc.strerror or exc}") from None
        query = cls(name=path.stem, path=path, text=text)
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.startswith("#"):
                if line.strip():
                    break
                continue
            key, sep, value = line[1:].strip().partition(":")
            key = key.strip().lower()
            if not sep or key not in _HEADER_KEYS:
                continue
            value = value.strip()
            if key == "title":
                query.title = value
            elif key == "description":
                query.description = (query.description + " " + value).strip()
            elif key == "tags":
                query.tags = [t.strip() for t in value.split(",") if t.strip()]
            else:
                try:
                    query.params.append(parse_param_line(value))
                except ValueError as exc:
                    raise QueryError(f"{display}:{number}: bad parameter line: {exc}") from None
        return query

    def to_dict(self) -> dict:
        """The catalog entry as plain data (``canus queries --format json``)."""
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "tags": self.tags,
            "params": [{"name": p.name, "type": p.type, "default": p.default} for p in self.params],
        }

    def bind(
        self, values: dict[str, str], prefixes: dict[str, str]
    ) -> dict[str, ox.NamedNode | ox.Literal]:
        """Check ``values`` against the declared parameters; fill defaults; return RDF terms."""
        unknown = sorted(set(values) - {p.name for p in self.params})
        if unknown:
            takes = ", ".join(p.name for p in self.params) or "no parameters"
            raise ParameterError(
                f"query '{self.name}' has no parameter '{unknown[0]}' (it takes: {takes})"
            )
        bound = {}
        for p in self.params:
            raw = values.get(p.name, p.default)
            if raw is None:
                raise ParameterError(
                    f"query '{self.name}' needs parameter '{p.name}' ({p.type}): "
                    f"--param {p.name}=VALUE"
                )
            bound[p.name] = to_term(p.name, p.type, str(raw), prefixes)
        return bound


def queries_dir(root: str | os.PathLike[str] | KnowledgeGraph | None = None) -> Path:
    """The ``queries/`` folder of a dataset (a loaded graph, a root folder, or the default)."""
    if isinstance(root, KnowledgeGraph):
        return root.queries_dir
    return find_root(root) / "queries"


def catalog(root: str | os.PathLike[str] | KnowledgeGraph | None = None) -> list[SavedQuery]:
    """Every saved query of the dataset, sorted by name."""
    folder = queries_dir(root)
    if not folder.is_dir():
        return []
    base = folder.parent
    # regular files only: a FIFO named *.rq would block the catalog forever
    paths = sorted((p for p in folder.glob("*.rq") if p.is_file()), key=lambda p: p.stem)
    return [SavedQuery.from_file(p, p.relative_to(base).as_posix()) for p in paths]


def find_query(
    name: str | os.PathLike[str], root: str | os.PathLike[str] | KnowledgeGraph | None = None
) -> SavedQuery:
    """A saved query by name (``agencies-in-program``) or by path to a ``.rq`` file."""
    if isinstance(name, os.PathLike):
        name = os.fspath(name)
    if name.endswith(".rq") or os.sep in name or "/" in name:
        path = Path(name)
        if path.exists() and not path.is_file():
            raise QueryError(f"{name}: not a regular file")
        return SavedQuery.from_file(path, name)
    folder = queries_dir(root)
    path = folder / f"{name}.rq"
    if not path.is_file():
        known = sorted(p.stem for p in folder.glob("*.rq")) if folder.is_dir() else []
        close = difflib.get_close_matches(name, known, n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(close)}?" if close else "; 'canus queries' lists them"
        raise QueryError(f"unknown query '{name}'{hint}")
    return SavedQuery.from_file(path, f"queries/{name}.rq")


def query(
    source: Source,
    name: str | os.PathLike[str],
    params: dict[str, str] | None = None,
    *,
    root: str | os.PathLike[str] | None = None,
    timeout: float | None = None,
    allow_service: bool = False,
    **legacy: str,
) -> QueryResult:
    """Run a saved query (by name, or a path to a ``.rq`` file) with ``params``.

    ``source`` is a loaded graph, or an :class:`Endpoint` (or its URL) to run on a remote SPARQL
    endpoint; the saved query is then read from ``root``'s queries/ folder. ``timeout`` stops
    waiting after that many seconds (QueryError; RemoteError for an endpoint). Rows are
    produced as they are read unless a timeout is given.
    """
    if legacy:
        warnings.warn(
            "query parameters as keyword arguments are deprecated: pass them as a dict",
            DeprecationWarning,
            stacklevel=2,
        )
    values = {**(params or {}), **legacy}
    target = _source(source, timeout)
    kg = target if isinstance(target, KnowledgeGraph) else None
    saved = find_query(name, kg if kg is not None else root)
    prefixes = kg.prefixes if kg is not None else PREFIXES
    bound = saved.bind(values, prefixes)
    origin = saved.path.name
    result = _run(target, saved.text, bound, origin, prefixes, timeout, allow_service)
    if kg is not None:
        result.warnings.extend(unknown_iris(kg, bound))
    return result


def run_sparql(
    source: Source,
    text: str,
    params: dict[str, str] | None = None,
    *,
    timeout: float | None = None,
    allow_service: bool = False,
) -> QueryResult:
    """Run ad-hoc SPARQL; parameters are typed by their form (:func:`canus._params.guess_term`).

    ``source``, ``timeout`` and ``allow_service`` as for :func:`query`.
    """
    target = _source(source, timeout)
    kg = target if isinstance(target, KnowledgeGraph) else None
    prefixes = kg.prefixes if kg is not None else PREFIXES
    bound = {k: guess_term(k, v, prefixes) for k, v in (params or {}).items()}
    result = _run(target, text, bound, "--sparql", prefixes, timeout, allow_service)
    if kg is not None:
        result.warnings.extend(unknown_iris(kg, bound))
    return result


def _source(source: Source, timeout: float | None) -> KnowledgeGraph | Endpoint:
    if isinstance(source, str):
        return Endpoint(source, timeout or DEFAULT_TIMEOUT)
    if isinstance(source, Endpoint) and timeout:
        return dataclasses.replace(source, timeout=timeout)
    if isinstance(source, (KnowledgeGraph, Endpoint)):
        return source
    raise TypeError(f"query a KnowledgeGraph or an Endpoint, not {type(source).__name__}")


def _run(
    target: KnowledgeGraph | Endpoint,
    text: str,
    bound: dict,
    origin: str,
    prefixes: dict[str, str],
    timeout: float | None,
    allow_service: bool,
) -> QueryResult:
    """Check the text once (read-only, SERVICE), then run it locally or remotely."""
    text = strip_bom(text)
    _check_text(text, origin)
    shape = check_read_only(text, origin, prefixes)
    if isinstance(target, Endpoint):
        return run_remote(target, with_prefixes(text, prefixes), bound, origin)
    if shape.service and not allow_service:
        raise QueryError(
            f"{origin}: SERVICE calls to other endpoints are off; pass --allow-service "
            "(allow_service=True) to let this query call " + ", ".join(shape.service)
        )
    if shape.service and timeout is None:
        timeout = DEFAULT_TIMEOUT
    if timeout is None:
        return _run_local(target, text, bound, origin, prefixes, shape)
    # Oxigraph's results belong to the thread that made them: run and read them in the worker
    return _worker.run(
        lambda: _run_local(target, text, bound, origin, prefixes, shape).materialize(),
        timeout=timeout,
        on_timeout=lambda: (RemoteError if shape.service else QueryError)(
            f"{origin}: no result within {timeout:g} s; stopped (use --timeout to wait longer)"
        ),
    )


def _check_text(text: str, origin: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise QueryError(f"{origin}: the query text is not valid UTF-8") from None


def _run_local(
    kg: KnowledgeGraph,
    text: str,
    bound: dict,
    origin: str,
    prefixes: dict[str, str],
    shape: Shape,
) -> QueryResult:
    """Run on the loaded graph: the union of the files, or the graphs its FROM clauses name."""
    if shape.has_dataset:
        _check_graphs(kg, shape, origin)
    try:
        result = kg.store.query(
            text,
            prefixes=prefixes,
            use_default_graph_as_union=not shape.has_dataset,
            substitutions={ox.Variable(k): v for k, v in bound.items()} or None,
        )
    except SyntaxError as exc:
        raise QueryError(syntax_message(origin, text, str(exc))) from None
    except OSError as exc:
        raise RemoteError(f"{origin}: SERVICE call failed: {exc.strerror or exc}") from None
    except RuntimeError as exc:
        message = str(exc).strip().splitlines()[0]
        if "projection" in message:
            raise QueryError(
                f"{origin}: a parameter must be a projected variable of the SELECT: {message}"
            ) from None
        raise QueryError(f"{origin}: {message}") from None
    if isinstance(result, ox.QueryBoolean):
        return QueryResult("ask", boolean=bool(result), prefixes=kg.prefixes)
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        if shape.select_star:  # Oxigraph sorts them; a reader expects the query's order
            order = [v for v in shape.variables if v in variables]
            variables = order + [v for v in variables if v not in order]
        return QueryResult(
            "select",
            variables=variables,
            rows=_solutions(result, variables, origin),
            prefixes=kg.prefixes,
        )
    return QueryResult("graph", triples=list(result), prefixes=kg.prefixes)


def _solutions(
    solutions: ox.QuerySolutions, variables: list[str], origin: str
) -> Iterator[dict[str, ox.NamedNode | ox.BlankNode | ox.Literal | None]]:
    """Rows as they are evaluated (memory stays flat); evaluation errors as one line."""
    keys = [(v, ox.Variable(v)) for v in variables]
    try:
        for solution in solutions:
            yield {name: solution[var] for name, var in keys}
    except OSError as exc:
        raise RemoteError(f"{origin}: SERVICE call failed: {exc.strerror or exc}") from None
    except RuntimeError as exc:
        raise QueryError(f"{origin}: {str(exc).strip().splitlines()[0]}") from None


def _check_graphs(kg: KnowledgeGraph, shape: Shape, origin: str) -> None:
    """FROM and FROM NAMED must name graphs of the loaded files (``…/graph/data/agencies``)."""
    known = [f.graph for f in kg.files]
    for graph in shape.default_graphs + shape.named_graphs:
        if graph not in known:
            close = difflib.get_close_matches(graph, known, n=1, cutoff=0.5)
            hint = f"; did you mean <{close[0]}>?" if close else ""
            raise QueryError(
                f"{origin}: FROM <{graph}> is not a graph of the loaded files "
                f"(each file is a graph such as <{known[-1]}>){hint}"
            )


def unknown_iris(kg: KnowledgeGraph, bound: dict) -> list[str]:
    """A warning for each IRI parameter that is in no triple, with the closest known thing."""
    found = []
    for name, term in bound.items():
        if not isinstance(term, ox.NamedNode) or _used(kg, term):
            continue
        shown = kg.compact(term.value)
        subjects = sorted(
            {
                kg.compact(q.subject.value)
                for q in kg.store.quads_for_pattern(None, None, None)
                if isinstance(q.subject, ox.NamedNode)
            }
        )
        close = difflib.get_close_matches(shown, subjects, n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        found.append(f"parameter '{name}': {shown} is in no triple of the graph{hint}")
    return found


def _used(kg: KnowledgeGraph, term: ox.NamedNode) -> bool:
    store = kg.store
    return any(
        next(iter(store.quads_for_pattern(*pattern)), None) is not None
        for pattern in ((term, None, None), (None, None, term), (None, term, None))
    )
