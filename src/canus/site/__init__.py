"""``canus build``: a release people can download, browse and cite.

    >>> import canus
    >>> result = canus.build(canus.load(), "dist")
    >>> result.version, result.date, len(result.files)

The release (``dist/``) holds the graph in every RDF format, a JSON-LD context of its own, CSV
tables, the ontology, shapes and saved queries, a VoID/DCAT description, the CHANGELOG and
``SHA256SUMS``; ``dist/site`` is a static site that works from disk and from any static host.
Nothing in it depends on the clock or on iteration order, so two builds are byte-identical.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from canus._errors import OutputError
from canus._load import KnowledgeGraph
from canus.site._changelog import release_date
from canus.site._describe import Release, describe
from canus.site._release import graph_files, ontology_files, table_files

__all__ = ["BuildResult", "Release", "build", "release_files"]

W3ID_RULES = Path(__file__).resolve().parent / "w3id.htaccess"
_REDIRECT = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>canus</title>
<meta http-equiv="refresh" content="0; url=site/index.html"></head>
<body><p><a href="site/index.html">canus</a></p></body></html>
"""


@dataclass
class BuildResult:
    """What a build wrote: where, which release, and every file (relative path → bytes)."""

    out: Path
    version: str
    date: str
    files: dict[str, bytes] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line: ``built canus 0.1.0 (2026-11-30): 2412 files, 21 MB in dist``."""
        size = sum(len(v) for v in self.files.values())
        site = sum(1 for p in self.files if p.startswith("site/"))
        return (
            f"built canus {self.version} ({self.date}): {len(self.files)} files"
            f" ({site} in site/), {size / 1e6:.1f} MB in {self.out}"
        )


def _release(kg: KnowledgeGraph, date: str | None) -> Release:
    from canus import __version__

    return Release(__version__, date or release_date(kg.root / "CHANGELOG.md", __version__))


def release_files(kg: KnowledgeGraph, release: Release) -> dict[str, bytes]:
    """The downloads of a release (no site, no checksums): every format, tables, ontology,
    queries, the CHANGELOG and the VoID/DCAT description of them all."""
    files: dict[str, bytes] = {}
    files.update(graph_files(kg))
    files.update(table_files(kg))
    files.update(ontology_files(kg))
    changelog = kg.root / "CHANGELOG.md"
    if changelog.is_file():
        files["CHANGELOG.md"] = changelog.read_bytes()
    files["void.ttl"] = describe(kg, release, files)
    return dict(sorted(files.items()))


def checksums(files: dict[str, bytes]) -> bytes:
    """``SHA256SUMS`` in the form ``sha256sum -c`` reads: ``<hex>  <path>``, sorted by path."""
    lines = [f"{hashlib.sha256(files[p]).hexdigest()}  {p}\n" for p in sorted(files)]
    return "".join(lines).encode("utf-8")


def build(
    kg: KnowledgeGraph, out: str | os.PathLike[str] = "dist", *, date: str | None = None
) -> BuildResult:
    """Build the release of ``kg`` into ``out`` (replaced whole) and return what was written.

    ``date`` overrides the release date read from ``CHANGELOG.md`` (its entry for the package
    version). ``out`` must be absent, empty, or an earlier build (it holds ``SHA256SUMS``):
    anything else is refused with OutputError, so a typo never deletes a folder.
    """
    from canus.site._site import Site
    from canus.site._vendor import find_oxigraph

    release = _release(kg, date)
    target = Path(out)
    _check_target(target)
    files = release_files(kg, release)
    warnings = []
    if find_oxigraph(kg.root) is None:
        warnings.append(
            "the npm package oxigraph is not installed (make vendor): the site's query page"
            " lists the saved queries but cannot run SPARQL"
        )
    site = Site(kg, release, files).files()
    files.update({f"site/{path}": data for path, data in site.items()})
    files["index.html"] = _REDIRECT.encode("utf-8")
    files["w3id/.htaccess"] = W3ID_RULES.read_bytes()
    files = dict(sorted(files.items()))
    files["SHA256SUMS"] = checksums(files)
    _write(target, files)
    return BuildResult(target, release.version, release.date, files, warnings)


def _check_target(target: Path) -> None:
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise OutputError(f"{target}: exists and is not a folder; choose another --out")
    if target.is_dir() and any(target.iterdir()) and not (target / "SHA256SUMS").is_file():
        raise OutputError(
            f"{target}: a folder that holds other files (not a canus build); choose another --out"
        )


def _write(target: Path, files: dict[str, bytes]) -> None:
    """Write ``files`` into a fresh folder beside ``target``, then swap it in."""
    parent = target.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    fresh = parent / f".{target.name}.new"
    old = parent / f".{target.name}.old"
    for leftover in (fresh, old):
        if leftover.exists():
            shutil.rmtree(leftover)
    try:
        for path, data in files.items():
            dest = fresh / path
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(data)
        if target.exists():
            target.rename(old)
        fresh.rename(target)
    except OSError as exc:
        raise OutputError(f"{target}: cannot write the build: {exc.strerror or exc}") from None
    finally:
        for leftover in (fresh, old):
            if leftover.exists():
                shutil.rmtree(leftover, ignore_errors=True)
