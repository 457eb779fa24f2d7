"""The ``canus`` command: a thin layer that parses arguments, calls the library and prints."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any

import click

from canus import __version__
from canus._errors import CanusError

RESULT_FORMATS = ("table", "csv", "tsv", "json", "md")
EXPORT_FORMATS = ("turtle", "nt", "jsonld", "xml", "trig", "nquads", "csv")


def _fail(message: str, code: int) -> None:
    click.echo(f"canus: error: {message}", err=True)
    sys.exit(code)


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
            _fail(f"internal error: {type(exc).__name__}: {exc} (please report this)", 70)

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


def _load(ctx: click.Context, root: str | None):
    from canus._load import load

    return load(_root(ctx, root))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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
@root_option
@click.pass_context
@reports_errors
def validate(
    ctx: click.Context, fmt: str, severity: str, shapes: str | None, root: str | None
) -> None:
    """Check data/ against ontology/shapes.ttl, and every canus: term against the ontology.

    Exit status: 0 valid, 1 results at or above --severity, 2 unreadable input. Each problem is
    one line naming the file and line, the thing (IRI and English label), the property, the
    rule and its message. junit is for CI dashboards, github for GitHub Actions annotations.

    \b
    Examples:
        canus validate --format json
        canus validate --severity warning --format github
    """
    from canus._validate import validate as run_validate

    report = run_validate(_load(ctx, root), shapes, fail_on=severity.capitalize())
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
    help="Run against this SPARQL 1.1 endpoint instead of the local files.",
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
    root: str | None,
) -> None:
    """Run a saved query (NAME, or a FILE.rq) or ad-hoc SPARQL.

    \b
    Examples:
        canus query agencies-in-program --param program=id:ibet
        canus query norad-renewals --format csv
        canus query --sparql 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'
    """
    from canus import _query as queries

    if (name is None) == (sparql_text is None):
        raise click.UsageError("give a query NAME (or FILE.rq) or --sparql TEXT, not both")
    values = _parse_params(params)
    kg = None if endpoint else _load(ctx, root)
    if sparql_text is not None:
        result = queries.run_sparql(kg, sparql_text, values, endpoint=endpoint)
    else:
        result = queries.query(
            kg,
            name,
            values,
            endpoint=endpoint,
            **({} if kg is not None else {"root": _root(ctx, root)}),
        )
    click.echo(result.render(fmt), nl=False)


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
    help="Write here (atomically) instead of stdout; a folder for csv.",
)
@root_option
@click.pass_context
@reports_errors
def export(ctx: click.Context, fmt: str, output: str | None, root: str | None) -> None:
    """Export the graph: turtle, nt, jsonld, xml, trig, nquads, or csv.

    trig and nquads keep a named graph per source file; csv writes a table per class.

    \b
    Examples:
        canus export --format jsonld --output canus.jsonld
        canus export --format csv --output tables/
    """
    from canus._export import export as run_export

    data = run_export(_load(ctx, root), fmt, output)
    if data is not None:
        click.echo(data.decode("utf-8"), nl=False)
    elif output:
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
    from canus._stats import stats as run_stats

    click.echo(run_stats(_load(ctx, root)).render(fmt), nl=False)


def main() -> None:
    """Entry point of the ``canus`` script."""
    cli(prog_name="canus")


if __name__ == "__main__":  # pragma: no cover
    main()
