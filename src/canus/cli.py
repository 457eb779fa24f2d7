"""The ``canus`` command: a thin layer that parses arguments, calls the library and prints."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import Any, NoReturn

import click

from canus import __version__
from canus._errors import CanusError
from canus._formats import EXPORT_FORMATS, RESULT_FORMATS

EXIT_CODES = """\b
Exit status:
  0    ok
  1    violations (validate)
  2    bad input or usage: unreadable file, bad query or parameter, output refused
  3    remote failure: endpoint or SERVICE unreachable, refused, or no answer in time
  70   internal error (a bug; CANUS_DEBUG=1 shows the traceback)
  130  interrupted (Ctrl-C); nothing is left half-written"""


def _say(kind: str, message: str) -> None:
    """``canus: error: ...`` on stderr, one line, printable whatever bytes the input held."""
    line = " ".join(str(message).split("\n")[0].split("\r"))
    line = line.encode("utf-8", "backslashreplace").decode("utf-8")
    click.echo(f"canus: {kind}: {line}", err=True)


def _fail(message: str, code: int) -> None:
    _say("error", message)
    sys.exit(code)


def _warn(message: str) -> None:
    _say("warning", message)


def _interruptible(func: Callable[[], Any], timeout: float | None = None, **kw: Any) -> Any:
    """Run long work where Ctrl-C (and ``timeout``) is heard within a second."""
    from canus import _worker

    return _worker.run(func, timeout=timeout, **kw)


def reports_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn a library error into one line on stderr and its exit code, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except CanusError as exc:
            _fail(str(exc), exc.exit_code)
        except BrokenPipeError:
            sys.stderr.close()
            sys.exit(0)
        except KeyboardInterrupt:
            _fail("interrupted", 130)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except Exception as exc:  # a bug: still one line, and how to report it
            if os.environ.get("CANUS_DEBUG"):
                import traceback

                text = getattr(exc, "canus_traceback", None) or traceback.format_exc()
                click.echo(text.rstrip("\n"), err=True)
            _fail(
                f"internal error: {type(exc).__name__}: {exc} "
                "(please report this; CANUS_DEBUG=1 shows the traceback)",
                70,
            )

    return wrapper


def format_option(*choices: str, help: str = "Output format.") -> Callable[..., Any]:
    """``--format`` with the given choices, the first being the default."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default=choices[0],
        show_default=True,
        help=help,
    )


def root_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--root DIR`` on every command (also accepted before the command name)."""
    return click.option(
        "--root",
        type=click.Path(file_okay=False, path_type=str),
        default=None,
        help="Dataset folder (with ontology/, data/, queries/). Default: the checkout around the"
        " current directory, else the copy shipped with canus.",
    )(func)


def _root(ctx: click.Context, root: str | None) -> str | None:
    return root if root is not None else (ctx.obj or {}).get("root")


#: graphs loaded by the ``canus`` script, kept until the process ends (see :func:`main`)
_KEPT: list[Any] = []
_script = False


def _load(ctx: click.Context, root: str | None, *, then: tuple[str, ...] = ()):
    """Load the dataset where Ctrl-C is heard, with progress on a terminal; say what was
    skipped. The modules named in ``then`` are imported while Oxigraph parses."""
    import importlib

    from canus import _early
    from canus._load import load

    wanted = _root(ctx, root)
    early = _early.take(wanted)  # the load the script started while reading the command line
    kg = _interruptible(
        early.result if early else lambda: load(wanted, progress=True),
        meanwhile=lambda: [importlib.import_module(name) for name in then],
    )
    if _script:
        _KEPT.append(kg)
    for message in kg.skipped:
        _warn(message)
    return kg


class CanusGroup(click.Group):
    """The command group: usage errors print as one ``canus: error:`` line, exit 2."""

    def main(self, args: Any = None, prog_name: str | None = None, **extra: Any) -> Any:
        standalone = extra.pop("standalone_mode", True)
        try:
            code = super().main(args, prog_name or "canus", standalone_mode=False, **extra)
        except click.UsageError as exc:
            hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx else ""
            _say("error", exc.format_message() + hint)
            code = exc.exit_code
        except click.ClickException as exc:
            _say("error", exc.format_message())
            code = exc.exit_code
        except click.exceptions.Abort:
            _say("error", "interrupted")
            code = 130
        code = code if isinstance(code, int) else 0
        if standalone:
            sys.exit(code)
        return code


@click.group(
    cls=CanusGroup, context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_CODES
)
@click.version_option(__version__, prog_name="canus")
@root_option
@click.pass_context
def cli(ctx: click.Context, root: str | None) -> None:
    """canus: the open knowledge graph of Canada-United States security and defence cooperation.

    \b
    Examples:
        canus validate
        canus query agencies-in-program --param program=id:ibet
        canus export --format jsonld --output canus.jsonld
    """
    ctx.ensure_object(dict)
    ctx.obj["root"] = root


#: what validation imports (rdflib, pySHACL: a tenth of a second), imported while Oxigraph parses
_VALIDATION_MODULES = ("canus._validate", "canus._shacl_run", "canus._vocabulary", "pyshacl")


@cli.command()
@format_option("text", "json", "turtle", "junit", "github", help="Report format.")
@click.option(
    "--severity",
    type=click.Choice(["violation", "warning", "info"]),
    default="violation",
    show_default=True,
    help="The least serious SHACL result that fails the run (like ROBOT's --fail-on).",
)
@click.option(
    "--shapes",
    type=click.Path(dir_okay=False, path_type=str),
    default=None,
    help="Validate against this SHACL file instead of ontology/shapes.ttl.",
)
@click.option(
    "--endpoint",
    default=None,
    metavar="URL",
    help="Validate what this SPARQL endpoint's store holds (read in pages of CONSTRUCT)"
    " instead of the files.",
)
@click.option(
    "--graph",
    default=None,
    metavar="IRI",
    help="With --endpoint: the named graph to validate. Default: the default graph.",
)
@root_option
@click.pass_context
@reports_errors
def validate(
    ctx: click.Context,
    fmt: str,
    severity: str,
    shapes: str | None,
    endpoint: str | None,
    graph: str | None,
    root: str | None,
) -> None:
    """Check data/ against ontology/shapes.ttl, and every canus: term against the ontology.

    Exit status: 0 valid, 1 results at or above --severity, 2 unreadable input. Each problem is
    one line naming the file and line, the thing (IRI and English label), the property, the
    rule and its message. junit is for CI dashboards, github for GitHub Actions annotations.

    \b
    Examples:
        canus validate --format json
        canus validate --severity warning --format github
        canus validate --endpoint http://127.0.0.1:7878/query
    """
    if graph and not endpoint:
        raise click.UsageError("--graph names a graph of a store: give --endpoint URL too")
    if endpoint:
        from canus._fetch import validate_store
        from canus._remote import Endpoint

        report = validate_store(
            Endpoint(endpoint),
            graph,
            _root(ctx, root),
            shapes=shapes,
            fail_on=severity.capitalize(),
        )
    else:
        kg = _load(ctx, root, then=_VALIDATION_MODULES)
        from canus._validate import validate as run_validate

        report = run_validate(kg, shapes, fail_on=severity.capitalize())
    click.echo(report.render(fmt), nl=False)
    sys.exit(0 if report.conforms else 1)


def _parse_params(values: tuple[str, ...]) -> dict[str, str]:
    params: dict[str, str] = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"expected NAME=VALUE, got {item!r}", param_hint="--param")
        params[key.strip()] = value
    return params


@cli.command()
@click.argument("name", required=False)
@click.option(
    "--sparql", "sparql_text", default=None, help="Run this SPARQL text instead of a saved query."
)
@click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Bind a parameter (repeatable). IRIs may be written id:slug.",
)
@format_option(*RESULT_FORMATS, help="Result format (CONSTRUCT/DESCRIBE results are Turtle).")
@click.option(
    "--endpoint",
    default=None,
    metavar="URL",
    help="Run against this SPARQL 1.1 endpoint (http or https) instead of the local files.",
)
@click.option(
    "--graph",
    "graphs",
    multiple=True,
    metavar="IRI",
    help="With --endpoint: query this named graph of the store as the default graph"
    " (default-graph-uri; repeatable), e.g. where canus push --graph put the data.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    metavar="SECONDS",
    help="Stop after this many seconds (default: none locally, 60 for an endpoint or SERVICE).",
)
@click.option(
    "--allow-service",
    is_flag=True,
    help="Let the query call other endpoints with SERVICE (off by default).",
)
@root_option
@click.pass_context
@reports_errors
def query(
    ctx: click.Context,
    name: str | None,
    sparql_text: str | None,
    params: tuple[str, ...],
    fmt: str,
    endpoint: str | None,
    graphs: tuple[str, ...],
    timeout: float | None,
    allow_service: bool,
    root: str | None,
) -> None:
    """Run a saved query (NAME, or a FILE.rq) or ad-hoc SPARQL. Read-only: updates are refused.

    Rows print as they are found. Saved and ad-hoc queries know the canus prefixes (canus:,
    id:, rdfs:, skos:, dcterms: ...). FROM <https://w3id.org/canus/graph/data/agencies> limits a
    query to the graph of one file.

    \b
    Examples:
        canus query agencies-in-program --param program=id:ibet
        canus query agreement-renewals --format csv
        canus query --sparql 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'
        canus query agencies --endpoint http://127.0.0.1:7878/query --timeout 10
        canus query agencies --endpoint http://127.0.0.1:8890/sparql --graph https://w3id.org/canus/graph
    """
    if name is None and sparql_text is None:
        raise click.UsageError("give a query NAME (or FILE.rq) or --sparql TEXT")
    if name is not None and sparql_text is not None:
        raise click.UsageError("give a query NAME (or FILE.rq) or --sparql TEXT, not both")
    if graphs and not endpoint:
        raise click.UsageError("--graph names a graph of a store: give --endpoint URL too")
    values = _parse_params(params)
    if endpoint:
        from canus._remote import DEFAULT_TIMEOUT, Endpoint

        source = Endpoint(endpoint, timeout or DEFAULT_TIMEOUT, graphs=graphs)
    else:
        source = _load(ctx, root, then=("canus._query",))
    from canus import _query as queries
    from canus._remote import DEFAULT_TIMEOUT

    out = sys.stdout
    width = _screen_width(out) if fmt == "table" else None

    def run() -> None:
        if sparql_text is not None:
            result = queries.run_sparql(source, sparql_text, values, allow_service=allow_service)
        else:
            result = queries.query(
                source, name, values, root=_root(ctx, root), allow_service=allow_service
            )
        for message in result.warnings:
            _warn(message)
        result.write(out, fmt, width=width)
        out.flush()

    limit = None if endpoint else (timeout or (DEFAULT_TIMEOUT if allow_service else None))
    _interruptible(
        run,
        timeout=limit,
        on_timeout=lambda: queries.QueryError(
            f"no result within {limit:g} s; stopped (use --timeout to wait longer)"
        ),
    )


def _screen_width(out: Any) -> int | None:
    """The width a table must fit: the terminal's, or $COLUMNS; None when piped."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    try:
        if out.isatty():
            import shutil

            return shutil.get_terminal_size().columns
    except (AttributeError, ValueError, OSError):
        pass
    return None


@cli.command(name="queries")
@format_option("table", "json")
@root_option
@click.pass_context
@reports_errors
def list_queries(ctx: click.Context, fmt: str, root: str | None) -> None:
    """List the saved queries: name, title and parameters.

    \b
    Example:
        canus queries
    """
    import json

    from canus._load import find_root
    from canus._query import catalog

    items = catalog(find_root(_root(ctx, root)))
    if fmt == "json":
        payload = [q.to_dict() for q in items]
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    width = max((len(q.name) for q in items), default=4)
    for q in items:
        params = " ".join(f"{p.name}:{p.type}" + ("" if p.required else "?") for p in q.params)
        click.echo(f"{q.name:<{width}}  {q.title}" + (f"  [{params}]" if params else ""))


@cli.command()
@format_option(*EXPORT_FORMATS, help="Export format.")
@click.option(
    "--output",
    "-o",
    default=None,
    metavar="PATH",
    help="Write here instead of stdout ('-'); a folder for csv. A file is replaced atomically"
    " and keeps its mode; a symlink's target or a device (/dev/null) is written through.",
)
@click.option(
    "--force",
    is_flag=True,
    help="csv: write into a folder that holds other files (they are kept).",
)
@click.option("--bom", is_flag=True, help="csv: start each table with a UTF-8 BOM (for Excel).")
@root_option
@click.pass_context
@reports_errors
def export(
    ctx: click.Context, fmt: str, output: str | None, force: bool, bom: bool, root: str | None
) -> None:
    """Export the graph: turtle, nt, jsonld, xml, trig, nquads, or csv.

    trig and nquads keep a named graph per source file; csv writes a folder with a table per
    class, marked as a canus export: a later export replaces only its own files, and a folder
    holding anything else is refused unless --force.

    \b
    Examples:
        canus export --format jsonld --output canus.jsonld
        canus export --format csv --output tables/
    """
    kg = _load(ctx, root, then=("canus._export",))
    from canus._export import export as run_export

    target = "-" if output is None else output
    _interruptible(
        lambda: run_export(kg, fmt, target, force=force, bom=bom, progress=target != "-")
    )
    if target != "-":
        click.echo(f"wrote {output}", err=True)


@cli.command()
@format_option("text", "json")
@root_option
@click.pass_context
@reports_errors
def stats(ctx: click.Context, fmt: str, root: str | None) -> None:
    """Counts by class and property, and coverage of French labels, descriptions and sources.

    \b
    Example:
        canus stats --format json
    """
    kg = _load(ctx, root, then=("canus._stats",))
    from canus._stats import stats as run_stats

    click.echo(_interruptible(lambda: run_stats(kg)).render(fmt), nl=False)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port."
)
@click.option(
    "--timeout",
    default=10.0,
    show_default=True,
    type=click.FloatRange(min=0.1),
    help="Seconds a query may run; then it is stopped (its process killed).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Processes running client queries (as many again make pages). Default: one per CPU.",
)
@click.option(
    "--max-rows",
    default=100_000,
    show_default=True,
    type=click.IntRange(min=1),
    help="Most rows (or triples) in one answer; more are cut, with a header saying so.",
)
@click.option(
    "--max-body",
    default=1 << 20,
    show_default=True,
    type=click.IntRange(min=1024),
    help="Largest request body (and query string), in bytes.",
)
@click.option(
    "--cache-mb",
    default=64,
    show_default=True,
    type=click.IntRange(min=0),
    help="Memory for answers kept for repeat requests (0: off).",
)
@click.option(
    "--memory-mb",
    default=1024,
    show_default=True,
    type=click.IntRange(min=16),
    help="Memory one query may use; past it, its process stops and the query fails.",
)
@click.option("--quiet", is_flag=True, help="Do not log each request.")
@root_option
@click.pass_context
@reports_errors
def serve(
    ctx: click.Context,
    host: str,
    port: int,
    timeout: float,
    workers: int | None,
    max_rows: int,
    max_body: int,
    cache_mb: int,
    memory_mb: int,
    quiet: bool,
    root: str | None,
) -> None:
    """Serve a SPARQL endpoint (/sparql), the saved queries (/api) and pages (/id/<slug>).

    \b
    Example:
        canus serve --port 8000 --timeout 5
    """
    from canus.web import Settings
    from canus.web import serve as run_serve

    settings = Settings(
        timeout=timeout,
        max_rows=max_rows,
        max_body=max_body,
        cache_bytes=cache_mb << 20,
        memory_mb=memory_mb,
    )
    run_serve(
        _root(ctx, root), host, port, settings=settings, workers=workers, log_requests=not quiet
    )


def _iso_date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    import datetime

    if value is not None:
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            raise click.BadParameter(f"{value!r} is not a date YYYY-MM-DD") from None
    return value


@cli.command()
@click.option(
    "--out",
    default="dist",
    show_default=True,
    metavar="DIR",
    help="Where the release goes; replaced whole (a folder holding anything but an earlier"
    " build is refused).",
)
@click.option(
    "--date",
    default=None,
    callback=_iso_date,
    metavar="YYYY-MM-DD",
    help="Release date; default: the CHANGELOG.md entry for this version.",
)
@root_option
@click.pass_context
@reports_errors
def build(ctx: click.Context, out: str, date: str | None, root: str | None) -> None:
    """Build a release: the graph in every format, CSV, VoID/DCAT, checksums, and a static
    site (DIR/site) that works from disk or any static host. Two builds are byte-identical.

    \b
    Example:
        canus build --out dist
    """
    from canus.site import build as run_build

    kg = _load(ctx, root)
    result = _interruptible(lambda: run_build(kg, out, date=date))
    for message in result.warnings:
        _warn(message)
    click.echo(result.summary())


@cli.command()
@click.argument("old")
@click.argument("new")
@format_option("text", "md", help="text, or md (Markdown, for the CHANGELOG).")
@reports_errors
def diff(old: str, new: str, fmt: str) -> None:
    """What changed between two releases or graphs: things added, removed and changed.

    OLD and NEW are each a release folder (from canus build), a dataset folder (ontology/,
    data/) or an RDF file (.ttl, .nt, .nq, .trig, .rdf, .jsonld).

    \b
    Examples:
        canus diff old-dist/ dist/
        canus diff old.ttl . --format md
    """
    from canus.site._diff import diff as run_diff

    click.echo(_interruptible(lambda: run_diff(old, new)).render(fmt), nl=False)


@cli.command()
@click.option(
    "--store",
    default=None,
    metavar="URL",
    help="Graph Store Protocol URL (Oxigraph /store, Fuseki /ds/data, Virtuoso"
    " /sparql-graph-crud-auth): one PUT replaces the graph.",
)
@click.option(
    "--update-endpoint",
    default=None,
    metavar="URL",
    help="SPARQL 1.1 Update URL, for stores without the Graph Store Protocol: batches into a"
    " temporary graph, then MOVE into place.",
)
@click.option(
    "--graph",
    default=None,
    metavar="IRI",
    help="The named graph to replace. Default: the store's default graph.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=300.0,
    show_default=True,
    metavar="SECONDS",
    help="Longest wait for each request.",
)
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=500,
    show_default=True,
    help="Triples in each INSERT DATA (--update-endpoint).",
)
@root_option
@click.pass_context
@reports_errors
def push(
    ctx: click.Context,
    store: str | None,
    update_endpoint: str | None,
    graph: str | None,
    timeout: float,
    batch_size: int,
    root: str | None,
) -> None:
    """Load the graph (ontology and data) into a SPARQL 1.1 store, replacing one graph.

    The target graph is replaced whole or not at all. A user and password, if the store asks
    for one (HTTP basic or digest), come from CANUS_USER and CANUS_PASSWORD or ~/.netrc.
    Failures retry with backoff, then exit 3 with one line.

    \b
    Examples:
        canus push --store http://127.0.0.1:7878/store
        canus push --store http://127.0.0.1:8890/sparql-graph-crud-auth --graph https://w3id.org/canus/graph
        canus push --update-endpoint http://127.0.0.1:3030/canus/update --graph https://w3id.org/canus/graph
    """
    from canus._push import ProgressBar
    from canus._push import push as run_push

    if (store is None) == (update_endpoint is None):
        raise click.UsageError("give --store URL or --update-endpoint URL (one of them)")
    kg = _load(ctx, root)
    with ProgressBar() as bar:
        result = run_push(
            kg,
            store=store,
            update_endpoint=update_endpoint,
            graph=graph,
            timeout=timeout,
            batch_size=batch_size,
            progress=bar.update,
        )
    click.echo(result.summary(), err=True)


def main() -> None:
    """The command line (the ``canus`` script is ``canus._early.main``, which starts loading
    first). After an interrupt or a timeout the worker thread may still be inside Oxigraph: the
    process exits at once rather than wait for it. A loaded graph is not freed either: the
    system takes the memory back at once, where freeing a store of a million triples takes a
    quarter of a second."""
    global _script
    from canus import _early, _worker

    _script = True
    try:
        cli(prog_name="canus")
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int | None) else 1
        if _worker.abandoned() or _early.running() or (_KEPT and _alone() and code == exc.code):
            _exit_now(code or 0)
        raise


def _alone() -> bool:
    """True when nothing waits for Python's own ending: no other thread, no profiler."""
    import threading

    if sys.getprofile() or sys.gettrace():  # a profiler or debugger reports when Python ends
        return False
    main = threading.main_thread()
    return all(t is main or t.daemon or not t.is_alive() for t in threading.enumerate())


def _exit_now(code: int) -> NoReturn:
    """End the process as Python would (exit handlers run, output flushed) without freeing
    every object first."""
    import atexit

    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            if not stream.closed:
                stream.flush()
        except (OSError, ValueError):  # a closed pipe: the reader has gone
            pass
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    main()
