"""Saved queries (``queries/*.rq`` with a comment header) and running SPARQL, locally or remotely.

Parameters are bound as RDF terms: locally through Oxigraph's substitutions (SEP-0007), remotely
as a ``VALUES`` block opening the WHERE group, its terms serialized by the RDF library after
type checks.
A SELECT query therefore projects each of its parameters.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from canus._errors import ParameterError, QueryError, RemoteError
from canus._load import KnowledgeGraph, find_root
from canus._namespaces import PREFIXES
from canus._params import Param, guess_term, parse_param_line, to_term
from canus._results import QueryResult, term_from_json

_HEADER_KEYS = ("title", "description", "param", "tags")
_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.I)


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
            text = path.read_text(encoding="utf-8")
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
    paths = sorted(folder.glob("*.rq"), key=lambda p: p.stem)
    return [SavedQuery.from_file(p, p.relative_to(base).as_posix()) for p in paths]


def find_query(
    name: str | os.PathLike[str], root: str | os.PathLike[str] | KnowledgeGraph | None = None
) -> SavedQuery:
    """A saved query by name (``agencies-in-program``) or by path to a ``.rq`` file."""
    if isinstance(name, os.PathLike):
        name = os.fspath(name)
    if name.endswith(".rq") or os.sep in name or "/" in name:
        return SavedQuery.from_file(Path(name), name)
    folder = queries_dir(root)
    path = folder / f"{name}.rq"
    if not path.is_file():
        known = sorted(p.stem for p in folder.glob("*.rq")) if folder.is_dir() else []
        close = difflib.get_close_matches(name, known, n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(close)}?" if close else "; 'canus queries' lists them"
        raise QueryError(f"unknown query '{name}'{hint}")
    return SavedQuery.from_file(path, f"queries/{name}.rq")


def query(
    kg: KnowledgeGraph | None,
    name: str | os.PathLike[str],
    params: dict[str, str] | None = None,
    *,
    endpoint: str | None = None,
    root: str | os.PathLike[str] | None = None,
    **kwargs: str,
) -> QueryResult:
    """Run a saved query by name or path with ``params`` (or keyword arguments).

    ``kg`` is the loaded graph; it may be None with ``endpoint`` (then the saved query is read
    from ``root``'s queries/ folder and runs on the remote SPARQL endpoint only).
    """
    values = {**(params or {}), **kwargs}
    saved = find_query(name, kg if kg is not None else root)
    prefixes = kg.prefixes if kg is not None else None
    bound = saved.bind(values, prefixes or PREFIXES)
    return _run(kg, saved.text, bound, endpoint=endpoint, origin=saved.path.name)


def run_sparql(
    kg: KnowledgeGraph | None,
    text: str,
    params: dict[str, str] | None = None,
    *,
    endpoint: str | None = None,
) -> QueryResult:
    """Run ad-hoc SPARQL; parameters are typed by their form (:func:`canus._params.guess_term`)."""
    prefixes = kg.prefixes if kg is not None else PREFIXES
    bound = {k: guess_term(k, v, prefixes) for k, v in (params or {}).items()}
    return _run(kg, text, bound, endpoint=endpoint, origin="--sparql", declare=prefixes)


def with_prefixes(text: str, prefixes: dict[str, str]) -> str:
    """Declare the canus prefixes ahead of ad-hoc SPARQL (a later PREFIX of the query wins)."""
    head = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(prefixes.items()))
    return head + text


def _run(kg, text, bound, *, endpoint, origin, declare=None) -> QueryResult:
    """Run locally or remotely; ``declare`` are prefixes the text may use without declaring."""
    if endpoint:
        return _run_remote(endpoint, with_prefixes(text, declare or {}), bound, origin)
    if kg is None:
        raise QueryError("no graph loaded and no endpoint given")
    return _run_local(kg, text, bound, origin, declare)


def _run_local(
    kg: KnowledgeGraph, text: str, bound: dict, origin: str, declare: dict | None = None
) -> QueryResult:
    try:
        result = kg.store.query(
            text,
            prefixes=declare,
            use_default_graph_as_union=True,
            substitutions={ox.Variable(k): v for k, v in bound.items()} or None,
        )
    except SyntaxError as exc:
        raise QueryError(f"{origin}: syntax error: {exc}") from None
    except RuntimeError as exc:
        message = str(exc)
        if "projection" in message:
            raise QueryError(
                f"{origin}: a parameter must be a projected variable of the SELECT: {message}"
            ) from None
        raise QueryError(f"{origin}: {message}") from None
    if isinstance(result, ox.QueryBoolean):
        return QueryResult("ask", boolean=bool(result), prefixes=kg.prefixes)
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        rows = [{v: solution[v] for v in variables} for solution in result]
        return QueryResult("select", variables=variables, rows=rows, prefixes=kg.prefixes)
    return QueryResult("graph", triples=list(result), prefixes=kg.prefixes)


_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _where_brace(text: str) -> int:
    """Index of the ``{`` that opens the query's top-level WHERE group.

    A small scan that skips strings, IRIs and comments; the first ``{`` after a top-level
    ``WHERE`` keyword, or the first top-level ``{`` when the keyword is left out.
    """
    i, depth, after_where, first_brace = 0, 0, False, -1
    n = len(text)
    while i < n:
        c = text[i]
        if c == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        if c in "\"'":
            quote = text[i : i + 3] if text[i : i + 3] in ('"""', "'''") else c
            i += len(quote)
            while i < n and not text.startswith(quote, i):
                i += 2 if text[i] == "\\" else 1
            i += len(quote)
            continue
        if c == "<":
            match = _IRIREF.match(text, i)
            if match:
                i = match.end()
                continue
        if c == "{":
            if depth == 0:
                if after_where:
                    return i
                if first_brace < 0:
                    first_brace = i
            depth += 1
        elif c == "}":
            depth -= 1
        elif (
            depth == 0
            and (c.isalpha() or c == "_")
            and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] in "_:?$"))
        ):
            match = _WORD.match(text, i)
            word = match.group(0)
            if word.upper() == "WHERE" and (match.end() >= n or text[match.end()] != ":"):
                after_where = True
            i = match.end()
            continue
        i += 1
    if first_brace < 0:
        raise QueryError("cannot find the query's WHERE clause to bind parameters")
    return first_brace


def with_values(text: str, bound: dict) -> str:
    """Bind parameters for a remote endpoint: a ``VALUES`` block opening the WHERE group.

    The terms are written by the RDF library from checked values (N-Triples form), so nothing
    a user typed reaches the query text unescaped.
    """
    if not bound:
        return text
    names = " ".join("?" + k for k in bound)
    terms = " ".join(str(v) for v in bound.values())
    at = _where_brace(text) + 1
    return f"{text[:at]} VALUES ({names}) {{ ({terms}) }}{text[at:]}"


def _run_remote(endpoint: str, text: str, bound: dict, origin: str) -> QueryResult:
    from urllib.error import HTTPError, URLError

    from SPARQLWrapper import JSON, N3, POST, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    client = SPARQLWrapper(endpoint)
    client.setMethod(POST)
    client.setQuery(with_values(text, bound))
    form = _query_form(text)
    client.queryType = form  # SPARQLWrapper's own guess reads words in comments ("added" → ADD)
    try:
        if form in ("CONSTRUCT", "DESCRIBE"):
            client.setReturnFormat(N3)
            client.addCustomHttpHeader("Accept", "application/n-triples, text/turtle;q=0.9")
            raw = client.query().response.read()
            triples = [q.triple for q in ox.parse(raw, format=ox.RdfFormat.TURTLE)]
            return QueryResult("graph", triples=triples)
        client.setReturnFormat(JSON)
        data = client.query().convert()
    except HTTPError as exc:
        body = exc.read().decode("utf-8", "replace").strip().splitlines()
        raise RemoteError(
            f"{endpoint}: HTTP {exc.code}: {body[0] if body else exc.reason}"
        ) from None
    except URLError as exc:
        raise RemoteError(f"{endpoint}: cannot connect: {exc.reason}") from None
    except SPARQLWrapperException as exc:
        raise RemoteError(f"{endpoint}: {origin}: {str(exc).splitlines()[0]}") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise RemoteError(f"{endpoint}: {exc}") from None
    if "boolean" in data:
        value = data["boolean"]
        return QueryResult("ask", boolean=value in (True, "true", "1", 1))
    variables = list(data["head"]["vars"])
    rows = [
        {v: (term_from_json(b[v]) if v in b else None) for v in variables}
        for b in data["results"]["bindings"]
    ]
    return QueryResult("select", variables=variables, rows=rows)


def _query_form(text: str) -> str:
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    body = re.sub(r"<[^>]*>", "<>", body)
    match = _FORM.search(body)
    return match.group(1).upper() if match else "SELECT"
